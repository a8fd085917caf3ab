// TensorCore: see DESIGN.md §4.
