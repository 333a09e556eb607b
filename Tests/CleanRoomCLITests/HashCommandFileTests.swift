import ArgumentParser
import CleanRoomCore
import Foundation
import Testing

@testable import CleanRoomCLI

/// How `cleanroom hash` treats its files: inputs named by position, an output replaced only on success and never
/// one of the inputs, read errors that fail the run, and `--keep-rows`.
struct HashCommandFileTests {
    /// The message the command prints for the error `arguments` fail with, or `nil` when they succeed.
    func failure(_ arguments: [String]) -> (error: HashCommandError?, printed: String)? {
        do {
            try HashCommand.parse(arguments).run()
            return nil
        } catch {
            return (error as? HashCommandError, HashCommand.fullMessage(for: error))
        }
    }

    /// The names of the files in `directory`, temporary files included.
    func listing(_ directory: TemporaryDirectory) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.url.path).sorted()
    }

    // MARK: - The output is never an input (`-o X X` used to truncate X and exit 0)

    @Test func outputThatIsAnInputIsRefusedBeforeWriting() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let lines = ["a@example.com", "b@example.com"]
        let input = try directory.file("in.txt", lines: lines)
        let other = try directory.file("other.txt", lines: ["c@example.com"])
        try FileManager.default.linkItem(atPath: input, toPath: directory.path("hard-link.txt"))
        try FileManager.default.createSymbolicLink(atPath: directory.path("symlink.txt"), withDestinationPath: input)
        for output in [input, directory.path("hard-link.txt"), directory.path("symlink.txt")] {
            let failure = try #require(self.failure(["--kind", "email", "-o", output, other, input]))
            #expect(failure.error?.code == .outputIsInput)
            #expect(failure.printed.contains("input 2"))
            #expect(!failure.printed.contains(directory.url.path))
            #expect(try directory.lines("in.txt") == lines)
        }
        #expect(try self.listing(directory) == ["hard-link.txt", "in.txt", "other.txt", "symlink.txt"])
    }

    /// A link is followed: the file it points to is replaced and the link stays a link.
    @Test func outputThroughASymbolicLinkReplacesItsTarget() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let input = try directory.file("in.txt", lines: ["a@example.com"])
        _ = try directory.file("target.txt", lines: ["old"])
        try FileManager.default.createSymbolicLink(
            atPath: directory.path("link.txt"), withDestinationPath: directory.path("target.txt"))
        try HashCommand.parse(["--kind", "email", "-o", directory.path("link.txt"), input]).run()
        #expect(try directory.lines("target.txt") == [MatchHash(normalized: "a@example.com").hex])
        let type = try FileManager.default.attributesOfItem(atPath: directory.path("link.txt"))[.type]
        #expect(type as? FileAttributeType == .typeSymbolicLink)
    }

    /// A file replaced keeps its permissions; the temporary file is gone.
    @Test func outputFileIsReplacedWithItsPermissions() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let output = try directory.file("out.txt", lines: Array(repeating: "old line", count: 10))
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: output)
        let input = try directory.file("in.txt", lines: ["a@example.com"])
        try HashCommand.parse(["--kind", "email", "-o", output, input]).run()
        #expect(try directory.lines("out.txt") == [MatchHash(normalized: "a@example.com").hex])
        let permissions = try FileManager.default.attributesOfItem(atPath: output)[.posixPermissions]
        #expect((permissions as? NSNumber)?.intValue == 0o640)
        #expect(try self.listing(directory) == ["in.txt", "out.txt"])
    }

    @Test func outputThatIsAFolderOrInAMissingFolderIsRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let input = try directory.file("in.txt", lines: ["a@example.com"])
        #expect(self.failure(["--kind", "email", "-o", directory.url.path, input])?.error?.code == .outputIsFolder)
        let missing = directory.path("no-such-folder/out.txt")
        let failure = try #require(self.failure(["--kind", "email", "-o", missing, input]))
        #expect(failure.error?.code == .outputNotWritable)
        #expect(!failure.printed.contains("no-such-folder"))
    }

    /// A device given as the output is written directly, not replaced.
    @Test func outputToADevice() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let input = try directory.file("in.txt", lines: ["a@example.com"])
        try HashCommand.parse(["--kind", "email", "-o", "/dev/null", input]).run()
        #expect(FileManager.default.fileExists(atPath: "/dev/null"))
    }

    // MARK: - Inputs are named by position, never by the text given

    /// `cleanroom hash --kind email john.doe@example.com` used to print `cannot open john.doe@example.com`.
    @Test(arguments: ["john.doe@example.com", "+49 30 1234567", "/no/such/dir/jane.doe@example.com"])
    func missingInputIsNamedByPosition(_ argument: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = try directory.file("first.txt", lines: ["a@example.com"])
        let failure = try #require(self.failure(["--kind", "email", "-o", directory.path("out"), first, argument]))
        #expect(failure.error?.code == .unreadableInput)
        #expect(failure.printed.contains("input 2 is not a readable file"))
        #expect(failure.printed.contains("values are read from files or standard input, one per line"))
        #expect(!failure.printed.contains(argument))
        #expect(!failure.printed.contains("john"))
        #expect(!failure.printed.contains("1234567"))
        #expect(try self.listing(directory) == ["first.txt"])
    }

    /// A folder used to give a raw NSCocoaErrorDomain error from the first read.
    @Test func folderInputIsNamedByPosition() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        for column in [[], ["--column", "email"]] {
            let failure = try #require(self.failure(["--kind", "email"] + column + [directory.url.path]))
            #expect(failure.error?.code == .inputIsFolder)
            #expect(failure.printed.contains("input 1 is a folder"))
            #expect(!failure.printed.contains("Domain"))
            #expect(!failure.printed.contains(directory.url.path))
        }
    }

    // MARK: - A read error fails the run; nothing is saved

    #if os(Linux)
    /// Reading `/proc/self/mem` from its start fails with EIO: a real read error, after input 1 was hashed.
    @Test(arguments: [[], ["--column", "email"]])
    func readErrorLeavesTheOutputAsItWas(_ column: [String]) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let input = try directory.file("in.csv", lines: ["email", "a@example.com"])
        let output = try directory.file("out.txt", lines: ["earlier output"])
        let failure = try #require(
            self.failure(["--kind", "email"] + column + ["-o", output, input, "/proc/self/mem"]))
        #expect(failure.error?.code == .readFailed)
        #expect(failure.printed.contains("input 2 could not be read to the end (Input/output error)"))
        #expect(try directory.lines("out.txt") == ["earlier output"])
        #expect(try self.listing(directory) == ["in.csv", "out.txt"])
        #expect(self.failure(["--kind", "email"] + column + ["-o", directory.path("new.txt"), input, "/proc/self/mem"])
            != nil)
        #expect(try self.listing(directory) == ["in.csv", "out.txt"])
    }

    /// A read that fails part way through a file, after whole rows, fails the source: it used to end the CSV
    /// silently, as if the file ended there.
    @Test func readErrorAfterSomeRowsFailsTheSource() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let failing = try FailingDescriptor(then: Array("email\na@example.com\nb@example.com\n".utf8), in: directory)
        let input = try HashInputFile(descriptor: failing.descriptor, position: 4, ownsDescriptor: false)
        var csv = try HashCSVSource(input: input, column: "email")
        #expect(try csv.next() == .text("a@example.com"))
        #expect(try csv.next() == .text("b@example.com"))
        do {
            _ = try csv.next()
            Issue.record("a failed read ended the input")
        } catch {
            #expect(error.code == .readFailed)
            #expect(error.message == "input 4 could not be read to the end (Input/output error)")
        }
    }

    /// The same for lines, and a row cut short by the error is not returned.
    @Test func readErrorInsideARowFailsTheSource() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        for csv in [false, true] {
            let failing = try FailingDescriptor(then: Array("email\na@example.com\nb@exa".utf8), in: directory)
            let input = try HashInputFile(descriptor: failing.descriptor, position: 1, ownsDescriptor: false)
            var source: any HashValueSource = csv ? try HashCSVSource(input: input, column: "email")
                : HashLineSource(input: input)
            var values: [HashInputValue] = []
            #expect(throws: HashCommandError.self) {
                while let value = try source.next() { values.append(value) }
            }
            #expect(values == (csv ? [.text("a@example.com")] : [.text("email"), .text("a@example.com")]))
        }
    }
    #endif

    // MARK: - --keep-rows

    @Test func keepRowsGivesOneLinePerRow() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let input = try directory.file(
            "in.txt", Array("a@example.com\n\nnot-an-address\n".utf8) + [0xFF, 0x0A] + Array("b@example.com".utf8))
        let more = try directory.file("more.txt", lines: ["  ", "c@example.com"])
        try HashCommand.parse(["--kind", "email", "--keep-rows", "-o", directory.path("out"), input, more]).run()
        let hex = { (value: String) in MatchHash(normalized: value).hex }
        #expect(try directory.lines("out")
            == [hex("a@example.com"), "", "", "", hex("b@example.com"), "", hex("c@example.com")])
        try HashCommand.parse(["--kind", "email", "-o", directory.path("out"), input, more]).run()
        #expect(try directory.lines("out") == [hex("a@example.com"), hex("b@example.com"), hex("c@example.com")])
    }

    /// Output line N is the hash of data row N: a partner pastes the column back beside the others.
    @Test func keepRowsFollowsCSVRows() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let csv = "id,email\n1,a@example.com\n2,\n3,\"x\ny@example.com\"\n4\n"
            + "5,\"Jane <j@example.com>\"\n6,b@example.com\n"
        let input = try directory.file("in.csv", Array(csv.utf8))
        try HashCommand.parse(
            ["--kind", "email", "--column", "email", "--keep-rows", "-o", directory.path("out"), input]).run()
        let hex = { (value: String) in MatchHash(normalized: value).hex }
        #expect(try directory.lines("out") == [hex("a@example.com"), "", "", "", "", hex("b@example.com")])
    }
}

#if os(Linux)
/// A descriptor whose reads give some bytes and then fail with EIO, as a failing disk does part way through a file.
///
/// It is `/proc/self/mem` positioned on the bytes, laid at the end of the first page of a file mapped two pages
/// long; the second page lies beyond the end of the file, so the kernel cannot read it and reports EIO.
final class FailingDescriptor {
    let descriptor: Int32
    private let mapping: UnsafeMutableRawPointer
    private let length: Int

    init(then bytes: [UInt8], in directory: TemporaryDirectory) throws {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let path = try directory.file(
            "page-\(UUID().uuidString)", [UInt8](repeating: 0x20, count: page - bytes.count) + bytes)
        let file = open(path, O_RDONLY)
        defer { close(file) }
        self.length = 2 * page
        let mapping = try #require(mmap(nil, self.length, PROT_READ, MAP_PRIVATE, file, 0))
        try #require(mapping != UnsafeMutableRawPointer(bitPattern: -1))
        self.mapping = mapping
        self.descriptor = open("/proc/self/mem", O_RDONLY)
        try #require(self.descriptor >= 0)
        let start = off_t(Int(bitPattern: mapping) + page - bytes.count)
        try #require(lseek(self.descriptor, start, SEEK_SET) == start)
    }

    deinit {
        close(self.descriptor)
        munmap(self.mapping, self.length)
    }
}
#endif
