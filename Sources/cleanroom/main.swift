import ArgumentParser
import CleanRoomCLI

await CleanRoomCommand.main()
