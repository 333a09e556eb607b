/// One table of the source database with every row in memory, in the order the ingest wrote them: by rowid,
/// or by primary key for a `WITHOUT ROWID` table.
struct SourceTable {
    let name: String
    /// The column names, in the table's order: the order of every row's values and of the insert's `?`.
    let columns: [String]
    let rows: [[SQLiteValue]]

    /// `INSERT INTO name VALUES (?, …)` with one `?` per column.
    var insertSQL: String {
        self.insertSQL(rows: 1)
    }

    /// `INSERT INTO name VALUES (?, …), …`: `rows` groups of one `?` per column.
    func insertSQL(rows: Int) -> String {
        let row = "(" + Array(repeating: "?", count: self.columns.count).joined(separator: ", ") + ")"
        return "INSERT INTO \(Self.quoted(self.name)) VALUES " + Array(repeating: row, count: rows).joined(separator: ", ")
    }

    /// Reads the table `name` of `source`; `nil` when the source has no such table.
    static func load(_ name: String, from source: SQLiteConnection) throws -> SourceTable? {
        let table = self.quoted(name)
        // table_info: cid, name, type, notnull, dflt_value, pk (the column's place in the key, 0 when not in it).
        let info = try source.rows("PRAGMA table_info(\(table))")
        guard !info.isEmpty else { return nil }
        let key = info.compactMap { column -> (place: Int64, name: String)? in
            guard case .text(let name) = column[1], let place = column[5].integer, place > 0 else { return nil }
            return (place, name)
        }
        // table_list: schema, name, type, ncol, wr (1 for WITHOUT ROWID), strict.
        let withoutRowID = try source.rows("PRAGMA table_list(\(table))").first?[4].integer == 1
        let order = withoutRowID ? key.sorted { $0.place < $1.place }.map { self.quoted($0.name) } : ["rowid"]
        let select = try source.prepare("SELECT * FROM \(table) ORDER BY \(order.joined(separator: ", "))")
        var rows: [[SQLiteValue]] = []
        while try select.step() {
            rows.append(select.row())
        }
        return SourceTable(name: name, columns: select.columnNames, rows: rows)
    }

    /// The values of column `name` as integers, one per row; `nil` when the table has no such column.
    func integers(of name: String) -> [Int64?]? {
        guard let index = self.columns.firstIndex(of: name) else { return nil }
        return self.rows.map { $0[index].integer }
    }

    /// `name` as an SQL identifier.
    static func quoted(_ name: String) -> String {
        "\"" + name.replacing("\"", with: "\"\"") + "\""
    }
}
