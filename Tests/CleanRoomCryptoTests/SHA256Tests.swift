import CleanRoomCrypto
import Testing

struct SHA256SmokeTests {
    @Test func abc() {
        #expect(Hex.encode(SHA256.hash("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
