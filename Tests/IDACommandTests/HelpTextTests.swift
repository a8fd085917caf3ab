@testable import IDACommand
import Testing

/// The whole help text of each command this suite owns, at 100 columns.
@Suite struct HelpTextTests {
    @Test func runHelp() { #expect(IDA.helpMessage(for: RunCommand.self, columns: 100) == Self.run) }
    @Test func runsHelp() { #expect(IDA.helpMessage(for: RunsCommand.self, columns: 100) == Self.runs) }
    @Test func reportHelp() { #expect(IDA.helpMessage(for: ReportCommand.self, columns: 100) == Self.report) }
    @Test func evalHelp() { #expect(IDA.helpMessage(for: EvalCommand.self, columns: 100) == Self.eval) }

    static let run = #"""
        OVERVIEW: Train IA and the supervised baseline side by side, then report and plot them.

        With no arguments: the small preset of the permutation task. IA distills Amp(H, X) (the scripted
        expert consulting the model, with leaf lookups) into the model; the baseline trains the same model
        on ground truth. Both run at once, sharing the cores, and are stored in the database as they go
        (checkpoints included), so an interrupted run continues with --resume. Progress goes to standard
        error, the report to standard output.

        --supervisor learned replaces the scripted expert inside IA by H′, a transcript model trained on
        the expert's demonstrations (the model preset of the same name as --preset): the expert is called
        for demonstrations, fewer as H′ learns, and (small preset) for the actions H′ is unsure of, once
        per distinct workspace while H′'s weights stand still. The report counts IA's expert calls (with
        the scripted expert, every supervisor action) beside the ground-truth labels the baseline consumed,
        and H′'s held-out action accuracy.

        --method rlhf trains, instead, a policy of X's architecture by RL against a reward model fitted to
        the preferences of E_b, the scripted expert judging two answers holistically with at most --lookups
        b hidden-fact lookups; --method rl-oracle uses the truth's preferences. --budget-from RUN caps the
        evaluator's cost at the expert calls of that IA run (same task), for a comparison at equal cost;
        `ida compare` tabulates and plots such runs beside IA's (Documentation/RLHF.md).

        --shared-targets (with --db postgres://…) grows IA's targets on `ida worker`s on any machines that
        reach the database: each generation is one work item, the trainer waits for it, and the run reaches
        the numbers of one grown in this process (Documentation/SharedRuns.md). One process trains a run at
        a time: against PostgreSQL a second `ida run --resume` of a run being trained is refused.

        USAGE: ida run <options>

        OPTIONS:
          --task <name>           The task, or all for the five tasks one after the other. (default:
                                  permutation)
          --preset <name>         The preset: tiny, small or paper. (default: small)
          --schedule <name>       continuous (the paper's) or rounds (amplify, distill, swap, repeat).
                                  (default: continuous)
          --supervisor <name>     Who decomposes IA's questions: scripted (the expert) or learned (H′).
                                  (default: scripted)
          --method <name>         ia (IA beside supervised), rlhf (RL from E_b's preferences) or rl-oracle
                                  (RL from true preferences). (default: ia)
          --lookups <b>           b: E_b's hidden-fact lookups per judgement (--method rlhf).
          --budget <calls>        Cap RL's evaluator cost at this many expert calls (one task).
          --budget-from <run>     Cap RL's evaluator cost, task by task, at the expert calls of this
                                  finished IA run.
          --seed <seed>           The seed of every random choice (chosen and printed when omitted).
          --seeds <seeds>         Run once per seed (comma-separated, e.g. 1,2,3), then report each task's
                                  mean and spread over them.
          --steps <steps>         Adam steps (continuous) or steps per round (rounds), instead of the
                                  preset's.
          --checkpoint-interval <steps>
                                  Steps between checkpoints, instead of the preset's.
          --eval-interval <steps> Steps between held-out evaluations, instead of the preset's (0: only at
                                  the end).
          --resume <run>          Continue the interrupted run with this id from its newest checkpoints.
          --shared-targets        Grow IA's targets on `ida worker`s sharing the --db postgres://…
                                  database, not in this process.
          --json                  Print the report as JSON.
          --output <dir>          The directory for the learning-curve SVG files. (default: .)
          --db <path|url>         The database: an SQLite file (default: ~/.ida/ida.sqlite, under $HOME) or
                                  a postgres:// URL (`ida db --help`).
          -h, --help              Show help information.

        """#

    static let runs = #"""
        OVERVIEW: List the stored runs: id, task, preset, schedule, status, steps, accuracy, created.

        A run started by `ida run` is a group (one line) with its IA and supervised runs indented beneath
        (with --method rlhf or rl-oracle, its rlhf run). Steps are the last step with a stored metric;
        accuracy is X's (an RL run's policy's) on the held-out set at the latest evaluation (sampled
        answers).

        USAGE: ida runs [--db <path|url>]

        OPTIONS:
          --db <path|url>         The database: an SQLite file (default: ~/.ida/ida.sqlite, under $HOME) or
                                  a postgres:// URL (`ida db --help`).
          -h, --help              Show help information.

        """#

    static let report = #"""
        OVERVIEW: Print a stored run's report and redraw its learning curves.

        RUN is the id `ida run` printed (or any of its IA or supervised runs). The table and the JSON are
        exactly what `ida run` printed at the end; the SVG is redrawn from the stored evaluations.

        USAGE: ida report <run> [--json] [--output <dir>] [--db <path|url>]

        ARGUMENTS:
          <run>                   The run id (see `ida runs`).

        OPTIONS:
          --json                  Print the report as JSON.
          --output <dir>          The directory for the learning-curve SVG files. (default: .)
          --db <path|url>         The database: an SQLite file (default: ~/.ida/ida.sqlite, under $HOME) or
                                  a postgres:// URL (`ida db --help`).
          -h, --help              Show help information.

        """#

    static let eval = #"""
        OVERVIEW: Answer an instance file's questions with a trained model; score them when answers are
        given.

        --checkpoint is a run id (its newest checkpoint; for a group run, its IA run of the file's task) or
        the path of an answerer checkpoint file (Documentation/CheckpointFormat.md). The instance file is
        JSON Lines (Documentation/InstanceFormat.md, e.g. written by `ida sample`); every line must be of
        the model's task. X answers each question directly; with --amplified, Amp(H, X) answers instead
        (the scripted expert consulting X, with leaf lookups).

        USAGE: ida eval --checkpoint <run-or-file> --instances <file> [--decoding <mode>] [--amplified] [--seed <seed>] [--json] [--db <path|url>]

        OPTIONS:
          --checkpoint <run-or-file>
                                  A run id or an answerer checkpoint file.
          --instances <file>      The instance file (JSON Lines).
          --decoding <mode>       greedy (argmax, the default) or sampled decoding. (default: greedy)
          --amplified             Answer with Amp(H, X) instead of X alone.
          --seed <seed>           The seed of sampled decoding and random leaf lookups. (default: 1)
          --json                  Print the answers and scores as JSON.
          --db <path|url>         The database: an SQLite file (default: ~/.ida/ida.sqlite, under $HOME) or
                                  a postgres:// URL (`ida db --help`).
          -h, --help              Show help information.

        """#
}
