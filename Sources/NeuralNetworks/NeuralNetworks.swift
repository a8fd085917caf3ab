// NeuralNetworks: see DESIGN.md §4.
