// Amplification: see DESIGN.md §4.
