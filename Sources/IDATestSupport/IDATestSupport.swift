// IDATestSupport: see DESIGN.md §4.
