"""The only package that imports ortools: build the model, set objectives, solve, explain."""
