import Foundation
@testable import IDACommand
import Store
import Tasks
import Testing

@Suite struct HCHCommandTests {
    static func parse(_ arguments: [String]) throws -> HCHCommand {
        try #require(try IDA.parseAsRoot(arguments) as? HCHCommand)
    }

    @Test func seededTableIsExactlyThis() async throws {
        let command = try Self.parse(
            ["hch", "--task", "permutation", "--preset", "tiny", "--max-depth", "2", "--count", "2", "--seed", "1"])
        #expect(try await command.output(seed: 1) == Self.permutationTinySeed1)
    }

    static let permutationTinySeed1 = """
        permutation (tiny): 2 instances, 10 questions, seed 1
        accuracy by question depth (rows) for HCH_n (columns); 1.00 on and below the diagonal is the staircase
        depth count  HCH_0   HCH_1   HCH_2   
        0     4      1.00    1.00    1.00    
        1     6      0.00    1.00    1.00    

               supervisor actions  leaf lookups  assistant calls  questions to assistants  ground truth
        HCH_0  27                  11            1                6                        0
        HCH_1  79                  45            0                0                        0
        HCH_2  79                  45            0                0                        0
        """

    @Test func jsonHasTheRowsAndCounters() async throws {
        let command = try Self.parse(
            ["hch", "--task", "wildcard", "--preset", "tiny", "--max-depth", "3", "--count", "2", "--seed", "4", "--json"])
        let text = try await command.output(seed: 4)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["task"] as? String == "wildcard")
        #expect(object["supervisor_actions"] as? Int ?? 0 > 0)
        #expect(object["leaf_lookups"] as? Int ?? 0 > 0)
        #expect(object["ground_truth_answers"] as? Int == 0)
        let rows = try #require(object["rows"] as? [[String: Any]])
        #expect(!rows.isEmpty)
        for row in rows {
            let hch = try #require(row["hch_depth"] as? Int)
            let depth = try #require(row["question_depth"] as? Int)
            #expect(row["count"] as? Int ?? 0 > 0)
            if depth <= hch { #expect(row["accuracy"] as? Double == 1.0) }
        }
    }

    @Test func helpExplainsTheStaircase() throws {
        #expect(HCHCommand.helpMessage(columns: 100) == Self.help)
    }

    static let help = """
        OVERVIEW: Evaluate HCH_0 … HCH_N (the scripted expert or a language model as H): accuracy by
        question depth.

        HCH_0 is the expert with leaf lookups only; HCH_n is the expert consulting HCH_{n-1}, run as one
        tree of workspaces down to depth n; the sub-questions asked below that are answered unknown, and
        are the assistant calls and questions counted. A question of depth d needs HCH_d, so the table
        shows a staircase: accuracy 1.00 on and below the diagonal (question depth ≤ n). Accuracy is exact
        match against the ground truth, which is used for scoring only: the counters show that no ground
        truth reached an answer other than through leaf lookups. Each HCH_n's trees are stored in the
        database, one run each (`ida trace RUN` prints them).

        With --supervisor llm, a language model is H: it reads each workspace in the task's words and
        replies with one action (Documentation/LanguageModels.md); its requests, tokens, retries and wall
        time are reported per n.

        USAGE: hch [<options>] --task <task> --max-depth <max-depth>

        LANGUAGE MODEL (WITH --SUPERVISOR LLM):
          --url <url>             The OpenAI-compatible API's base URL (default: $IDA_LLM_BASE_URL, else
                                  http://127.0.0.1:8080/v1). The key, if the endpoint needs one, is read
                                  from $IDA_LLM_API_KEY.
          --model <name>          The model's name at the endpoint (default: $IDA_LLM_MODEL).
          --temperature <temperature>
                                  Sampling temperature (0: the most likely reply, so runs repeat).
                                  (default: 0.0)
          --max-tokens <max-tokens>
                                  The longest reply, in the model's tokens. (default: 128)
          --attempts <attempts>   Replies per action or answer: the first, and those after malformed ones.
                                  (default: 3)
          --concurrency <concurrency>
                                  Requests in flight at once. (default: 4)
          --timeout <timeout>     Seconds one request may take before it is retried. (default: 120.0)
          --requests <requests>   Stop the run after this many requests to the model (cached replies are
                                  free).
          --tokens <tokens>       Stop the run after this many prompt and completion tokens.
          --prompts <file>        Prompt templates to use instead of the standard ones (JSON;
                                  --print-prompts shows them).
          --no-cache              Send every request, and cache nothing (by default replies are cached in
                                  the database).

        OPTIONS:
          --task <task>           The task: permutation, assignments, wildcard, shortest-path or union-find.
          --preset <preset>       The preset: tiny, small or paper. (default: small)
          --max-depth <max-depth> The deepest HCH evaluated (HCH_0 … HCH_N).
          --count <count>         Instances sampled at full size (each brings its questions). (default: 16)
          --seed <seed>           The seed of the instances and of the runs (chosen and printed when
                                  omitted).
          --supervisor <supervisor>
                                  Who supervises: expert (the scripted expert) or llm (a language model
                                  reading the task's words). (values: expert, llm; default: expert)
          --json                  Print JSON instead of a table.
          --db <path|url>         The database: an SQLite file (default: ~/.ida/ida.sqlite, under $HOME) or
                                  a postgres:// URL (`ida db --help`).
          -h, --help              Show help information.

        """

    static let badInput: [([String], String)] = [
        (["hch", "--task", "nope", "--max-depth", "1"], "unknown task \"nope\""),
        (["hch", "--task", "permutation", "--preset", "huge", "--max-depth", "1"], "unknown preset \"huge\""),
        (["hch", "--task", "permutation", "--max-depth", "1", "--count", "0"], "--count must be at least 1"),
        (["hch", "--task", "permutation", "--max-depth=-1"], "--max-depth must be at least 0"),
    ]

    @Test(arguments: badInput)
    func badInputGivesOneLineAndFails(arguments: [String], message: String) throws {
        let run = try EndToEndTests.ida(arguments)
        #expect(run.status != 0)
        #expect(run.standardOutput.isEmpty)
        let lines = run.standardError.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(run.standardError.contains(message))
    }

    /// The binary prints the table and stores each HCH_n's trees as they grow, one row per workspace.
    @Test func binaryPrintsTheStaircaseOnTheTinyPresetAndStoresTheTrees() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let run = try EndToEndTests.ida(
            ["hch", "--task", "permutation", "--preset", "tiny", "--max-depth", "2", "--count", "2", "--seed", "1",
             "--db", directory.database])
        #expect(run.status == 0)
        #expect(run.standardOutput == Self.permutationTinySeed1 + "\n")
        let store = try SQLiteStore(path: directory.database)
        let runs = try store.runs()
        #expect(runs.count == 3 && runs.allSatisfy { $0.kind == .hch && $0.status == .completed })
        for stored in runs {
            let records = try store.workspaces(run: stored.id)
            #expect(records.filter { $0.parentID == nil }.map(\.id) == (1...10).map(String.init))
        }
        #expect(run.standardError.contains("`ida trace "))
    }
}
