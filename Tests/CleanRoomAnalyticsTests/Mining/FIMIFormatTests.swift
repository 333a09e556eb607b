import CleanRoomAnalytics
import Testing

struct FIMIFormatTests {
    @Test func readsLinesOfItems() throws {
        #expect(try FIMIFormat.transactions(in: "1 3 9 \n2 2\n\n 40\t7\n") == [[1, 3, 9], [2, 2], [], [40, 7]])
        #expect(try FIMIFormat.transactions(in: "5 6\r\n7\r\n8") == [[5, 6], [7], [8]])
        #expect(try FIMIFormat.transactions(in: "4294967295 0 007") == [[4_294_967_295, 0, 7]])
        #expect(try FIMIFormat.transactions(in: "") == [])
        #expect(try FIMIFormat.transactions(in: "\n") == [[]])
    }

    @Test func namesTheLineOfABadItemButNotItsContents() {
        #expect {
            try FIMIFormat.transactions(in: "1 2\n3 x42 4\n")
        } throws: { error in
            guard let error = error as? FIMIFormatError else { return false }
            return error.code == .malformedLine && error.message.hasPrefix("line 2:") && !error.message.contains("x42")
        }
        #expect {
            try FIMIFormat.transactions(in: "1\n2\n-3\n")
        } throws: { error in
            (error as? FIMIFormatError)?.code == .malformedLine && "\(error)".contains("line 3:")
        }
        #expect {
            try FIMIFormat.transactions(in: "4294967296\n")
        } throws: { error in
            guard let error = error as? FIMIFormatError else { return false }
            return error.code == .itemOutOfRange && error.message.hasPrefix("line 1:")
                && !error.message.contains("4294967296")
        }
    }
}
