public import ArgumentParser
import CleanRoomCore

/// `cleanroom hash`: normalizes and hashes identifiers for a partner's upload file, offline.
///
/// It applies exactly the normalization and hashing CleanRoom applies to its owner's data (DESIGN.md section 4),
/// so a match rate never depends on guessing the rules. It needs no CleanRoom home and touches no store.
public struct HashCommand: ParsableCommand {
    /// The name, help and discussion of `cleanroom hash`.
    public static let configuration = CommandConfiguration(
        commandName: "hash",
        abstract: "Normalize and hash identifiers for an upload file, offline.",
        discussion: """
            Reads raw values, one per line, or the column --column of CSV files with a header row, from the files \
            given or from standard input, and writes one SHA-256 match hash per line, in input order. Empty values \
            are skipped; rejected values are counted by reason on standard error and never shown. With --keep-rows \
            each of them gives an empty line instead, so that output line N belongs to input row N (counting the \
            data rows of every input in turn) and the hashes can be joined back to the other columns.

            An --output file is replaced only once every input has been read: after any error it is left as it \
            was. An output that is one of the inputs is refused. Inputs are named by position in messages (input \
            1, input 2, ...), never by the text given.
            """
    )

    /// The kind of identifier in the input.
    @Option(help: "The kind of identifier.")
    var kind: HashKind

    /// The e-mail profile; `google` when not given.
    @Option(help: "The e-mail profile (email only; default: google).")
    var profile: EmailProfile?

    /// The phone form; `e164` when not given.
    @Option(help: "The phone form (phone only; default: e164).")
    var form: PhoneForm?

    /// The region national phone numbers are read in.
    @Option(help: "The region of phone numbers written without country code, e.g. DE; UK is read as GB (phone only).")
    var region: String?

    /// The text encoding of each hash.
    @Option(help: "The text encoding of each hash.")
    var encoding: HashEncoding = .hex

    /// The CSV column to read; without it every line is a value.
    @Option(help: "Read this column of CSV input with a header row, instead of one value per line.")
    var column: String?

    /// Whether an empty or rejected value gives an empty line rather than none.
    @Flag(help: "Write an empty line for an empty or rejected value, so that output line N belongs to input row N.")
    var keepRows = false

    /// Where the hashes go; standard output when not given.
    @Option(name: [.customShort("o"), .long], help: "Write the hashes to this file instead of standard output.")
    var output: String?

    /// The input files; standard input when none is given.
    @Argument(help: "Input files; standard input when none is given, or for -.")
    var files: [String] = []

    /// Creates the command with its defaults; ArgumentParser fills in the options.
    public init() {}

    /// Rejects options that do not apply to `--kind`, an empty `--output`, and a region libphonenumber does not
    /// know (`UK` is known: it is read as `GB`).
    public func validate() throws {
        if self.profile != nil && self.kind != .email {
            throw ValidationError("--profile applies to --kind email only.")
        }
        if self.form != nil && self.kind != .phone {
            throw ValidationError("--form applies to --kind phone only.")
        }
        if self.region != nil && self.kind != .phone {
            throw ValidationError("--region applies to --kind phone only.")
        }
        if self.output?.isEmpty == true {
            throw ValidationError("--output needs a file name, or - for standard output.")
        }
        if let region = self.region, !PhoneNormalizer.isKnownRegion(region) {
            throw ValidationError("--region \(region) is not an ISO 3166-1 alpha-2 code libphonenumber knows.")
        }
    }

    /// Checks every input, then opens the output, refusing one that is an input; hashes the inputs in turn, each
    /// opened when its turn comes; saves the output; then writes the summary to standard error. Nothing is saved
    /// when any step fails.
    public func run() throws {
        let pipeline = HashPipeline(
            normalizer: try IdentifierNormalizer(defaultRegion: self.region),
            kind: self.kind.identifierKind,
            profile: self.profile ?? .google,
            form: self.form ?? .e164,
            encoding: self.encoding,
            keepsRows: self.keepRows
        )
        let arguments = self.files.isEmpty ? ["-"] : self.files
        var identities: [HashFileIdentity?] = []
        for (offset, argument) in arguments.enumerated() {
            identities.append(try HashInputFile.check(argument: argument, position: offset + 1))
        }
        let output = try HashOutput(path: self.output, inputs: identities)
        var summary = HashSummary()
        for (offset, argument) in arguments.enumerated() {
            let input = try HashInputFile(argument: argument, position: offset + 1)
            if let column = self.column {
                var source = try HashCSVSource(input: input, column: column)
                try pipeline.hash(&source, into: output, summary: &summary)
            } else {
                var source = HashLineSource(input: input)
                try pipeline.hash(&source, into: output, summary: &summary)
            }
        }
        try output.commit()
        printToStandardError(summary.description)
    }
}

/// The identifier kinds as `--kind` names them.
enum HashKind: String, CaseIterable, ExpressibleByArgument {
    case email, phone, device
    case customerID = "customer_id"

    var identifierKind: IdentifierKind {
        switch self {
        case .email: .email
        case .phone: .phone
        case .device: .deviceID
        case .customerID: .customerID
        }
    }
}

/// The text encodings of a match hash.
enum HashEncoding: String, CaseIterable, ExpressibleByArgument {
    /// 64 lowercase hexadecimal characters.
    case hex
    /// 44 Base64 characters, standard alphabet with padding (UID2's form).
    case base64
}

extension EmailProfile: ExpressibleByArgument {}
extension PhoneForm: ExpressibleByArgument {}
