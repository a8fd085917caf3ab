/// The named sizes every task comes in (DESIGN.md §5).
public enum TaskPreset: String, CaseIterable, Codable, Sendable {
    /// 4 to 6 elements: unit tests and CI, seconds.
    case tiny
    /// About 8 to 16 elements with 1-letter names: the default demo, minutes on 2 cores.
    case small
    /// The published 64-element configuration, 2-letter names from 8 letters.
    case paper
}
