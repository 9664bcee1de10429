"""``tf.keras.Model`` (subclassing: layers made in ``__init__``, used in ``call``) and
``tf.keras.Sequential``, eager only: no compile/fit, no functional ``Model(inputs, outputs)``."""
from .layers import Layer

__all__ = ["Model", "Sequential"]


class Model(Layer):
    """A layer whose sublayers are its attributes; ``layers`` lists them in assignment order."""

    def __init__(self, *args, **kwargs):
        if args or "inputs" in kwargs or "outputs" in kwargs:
            raise NotImplementedError("tapegrad supports subclassed tf.keras.Model and "
                                      "tf.keras.Sequential, not functional Model(inputs, outputs)")
        super().__init__(**kwargs)

    @property
    def layers(self):
        return self._sublayers()

    def get_layer(self, name=None, index=None):
        if index is not None:
            if len(self.layers) <= index:
                raise ValueError(f"Was asked to retrieve layer at index {index} but model only "
                                 f"has {len(self.layers)} layers.")
            return self.layers[index]
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise ValueError(f"No such layer: {name}. Existing layers are: "
                         f"{[layer.name for layer in self.layers]}.")

    def call(self, inputs, training=None):
        raise NotImplementedError(f"Model {type(self).__name__} does not have a `call()` "
                                  "method implemented.")

    def summary(self, print_fn=None):
        """One line per layer: name (type), output width unknown until called, parameters."""
        print_fn = print_fn or print
        rows = [(f"{layer.name} ({type(layer).__name__})",
                 sum(int(v.shape.num_elements()) for v in layer.weights))
                for layer in self.layers]
        total = sum(int(v.shape.num_elements()) for v in self.weights)
        trainable = sum(int(v.shape.num_elements()) for v in self.trainable_weights)
        print_fn(f'Model: "{self.name}"')
        for label, n in rows:
            print_fn(f"{label:<40} {n:>10,}")
        print_fn(f"Total params: {total:,}")
        print_fn(f"Trainable params: {trainable:,}")
        print_fn(f"Non-trainable params: {total - trainable:,}")


class Sequential(Model):
    """Layers applied one after another; ``training`` reaches the layers that take it."""

    def __init__(self, layers=None, trainable=True, name=None):
        super().__init__(trainable=trainable, name=name)
        self._layers = []
        for layer in layers or ():
            self.add(layer)

    def add(self, layer):
        if not isinstance(layer, Layer):
            raise ValueError("Only instances of `keras.Layer` can be added to a Sequential "
                             f"model. Received: {layer} (of type {type(layer)})")
        self._layers.append(layer)
        self.built = False

    def pop(self):
        if not self._layers:
            raise TypeError("There are no layers in the model.")
        return self._layers.pop()

    @property
    def layers(self):
        return list(self._layers)

    def build(self, input_shape=None):
        """Builds nothing itself: the layers build on the first call, inside its name."""

    def call(self, inputs, training=None):
        x = inputs
        for layer in self._layers:
            x = layer(x, training=training) if layer._call_takes_training else layer(x)
        return x
