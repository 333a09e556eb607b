import ArgumentParser
import CleanRoomCLI

CleanRoomCommand.main()
