import ArgumentParser
import CleanRoomCLI

await CleanRoomCommand.mainAfterSelfTest()
