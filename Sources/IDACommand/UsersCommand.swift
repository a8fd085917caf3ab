import ArgumentParser
import Foundation
import Store
import Web

#if canImport(Glibc)
    import Glibc
#endif

/// `ida users`: the people who may sign in to `ida serve`.
struct UsersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "List or add the people who may sign in to `ida serve`.",
        discussion: """
            A researcher starts, pauses, resumes and stops runs in the web app and invites \
            supervisors (who then choose their own password from the invitation's link); a \
            supervisor works the workspaces handed to them. The first researcher is added here. \
            Passwords are kept as bcrypt hashes only.
            """,
        subcommands: [ListCommand.self, AddCommand.self],
        defaultSubcommand: ListCommand.self
    )

    struct ListCommand: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the people, by name.")

        @OptionGroup var store: StoreOptions

        func run() throws {
            let users = try store.openExisting().users()
            guard !users.isEmpty else {
                print("nobody yet: `ida users add NAME --role researcher` adds the first researcher")
                return
            }
            print("name".padding(toLength: 20, withPad: " ", startingAt: 0) + " role        state    invited by")
            for user in users {
                let state = user.passwordHash == nil ? "invited" : "active"
                print(
                    user.name.padding(toLength: 20, withPad: " ", startingAt: 0) + " "
                        + user.role.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0) + " "
                        + state.padding(toLength: 8, withPad: " ", startingAt: 0) + " " + (user.invitedBy ?? "-"))
            }
        }
    }

    struct AddCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add a person with a password.",
            discussion: """
                The password is asked for on the terminal (not echoed), or read as the first \
                line of standard input with --password-stdin; it is never an argument, where \
                other users of the machine could read it.

                Example: ida users add ada --role researcher
                """
        )

        @Argument(help: "The name they sign in with: 1 to 40 letters, digits, '-', '_' or '.'.")
        var name: String

        @Option(help: "researcher or supervisor.")
        var role: UserRole

        @Flag(help: "Read the password from the first line of standard input.")
        var passwordStdin = false

        @OptionGroup var store: StoreOptions

        func run() throws {
            let password: String
            if passwordStdin {
                guard let line = readLine(strippingNewline: true) else {
                    throw ValidationError("--password-stdin: standard input is empty")
                }
                password = line
            } else {
                guard isatty(STDIN_FILENO) == 1, let typed = getpass("password for \(name): ") else {
                    throw ValidationError("no terminal to ask the password on: pass --password-stdin and pipe it in")
                }
                password = String(cString: typed)
            }
            try Accounts(store: store.open()).add(name: name, role: role, password: password)
            print("added \(role.rawValue) \(name)")
        }
    }
}

extension UserRole: ExpressibleByArgument {}
