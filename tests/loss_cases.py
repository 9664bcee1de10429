"""Loss test cases shared by the TF fixture generator and tests/test_losses.py."""
P = [[0.2, 0.7, 0.1], [0.5, 0.25, 0.25]]
LOGITS = [[1.0, 2.0, -1.0], [0.5, -0.3, 0.8]]
ONEHOT = [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]
BIN_T = [[0.0, 1.0], [1.0, 1.0]]
BIN_P = [[0.3, 0.8], [0.6, 0.999]]
REG_T = [[1.0, 2.0], [3.0, -1.0]]
REG_P = [[1.5, 0.5], [2.0, 1.5]]

CASES = [
    {"name": "mse", "cls": "MeanSquaredError", "config": {}, "y_true": REG_T, "y_pred": REG_P},
    {"name": "mse_sum", "cls": "MeanSquaredError", "config": {"reduction": "sum"},
     "y_true": REG_T, "y_pred": REG_P},
    {"name": "mse_none", "cls": "MeanSquaredError", "config": {"reduction": None},
     "y_true": REG_T, "y_pred": REG_P},
    {"name": "mse_weighted", "cls": "MeanSquaredError", "config": {}, "y_true": REG_T,
     "y_pred": REG_P, "sample_weight": [0.25, 2.0]},
    {"name": "mae", "cls": "MeanAbsoluteError", "config": {}, "y_true": REG_T, "y_pred": REG_P},
    {"name": "huber", "cls": "Huber", "config": {"delta": 1.0}, "y_true": REG_T, "y_pred": REG_P},
    {"name": "huber_d2", "cls": "Huber", "config": {"delta": 2.0}, "y_true": REG_T,
     "y_pred": REG_P},
    {"name": "bce", "cls": "BinaryCrossentropy", "config": {}, "y_true": BIN_T, "y_pred": BIN_P},
    {"name": "bce_logits", "cls": "BinaryCrossentropy", "config": {"from_logits": True},
     "y_true": BIN_T, "y_pred": [[-1.0, 2.0], [0.3, 5.0]]},
    {"name": "bce_smooth", "cls": "BinaryCrossentropy", "config": {"label_smoothing": 0.1},
     "y_true": BIN_T, "y_pred": BIN_P},
    {"name": "cce", "cls": "CategoricalCrossentropy", "config": {}, "y_true": ONEHOT,
     "y_pred": P},
    {"name": "cce_logits", "cls": "CategoricalCrossentropy", "config": {"from_logits": True},
     "y_true": ONEHOT, "y_pred": LOGITS},
    {"name": "cce_smooth", "cls": "CategoricalCrossentropy",
     "config": {"from_logits": True, "label_smoothing": 0.2}, "y_true": ONEHOT,
     "y_pred": LOGITS},
    {"name": "scce", "cls": "SparseCategoricalCrossentropy", "config": {}, "y_true": [1, 0],
     "true_dtype": "int32", "y_pred": P},
    {"name": "scce_logits", "cls": "SparseCategoricalCrossentropy",
     "config": {"from_logits": True}, "y_true": [1, 2], "true_dtype": "int32", "y_pred": LOGITS},
    {"name": "kld", "cls": "KLDivergence", "config": {}, "y_true": [[0.2, 0.8], [0.5, 0.5]],
     "y_pred": [[0.3, 0.7], [0.9, 0.1]]},
]
