"""A stand-in training script for the example Dockerfile: fits a line with numpy."""

import numpy as np

rng = np.random.default_rng(0)
x = rng.uniform(0, 10, 100)
y = 3 * x + 2 + rng.normal(0, 1, 100)
slope, intercept = np.polyfit(x, y, 1)
print(f"fitted y = {slope:.2f} x + {intercept:.2f}")
