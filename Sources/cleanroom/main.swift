import ArgumentParser
import CleanRoomCLI

CleanRoomCommand.mainAfterSelfTest()
