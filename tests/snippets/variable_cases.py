"""Variables inside a tape (tf_semantics.md section 2): reads, assignments, return values."""
from .codec import kind, outcome, snippet


@snippet("variable")
def variable_defaults(tf):
    f = tf.Variable(1.0)
    i = tf.Variable(1)
    return [f.trainable, f.dtype, i.trainable, i.dtype, f.shape]


@snippet("variable")
def variable_names_not_uniquified(tf):
    return [tf.Variable(1.0, name="a").name, tf.Variable(2.0, name="a").name]


@snippet("variable")
def assign_add_probe(tf):
    x = tf.Variable(2.0)
    with tf.GradientTape() as g:
        y = x * x
        x.assign_add(1.0)
        z = x * x
    return [g.gradient(z, x), x.numpy(), y]


@snippet("variable")
def assign_add_probe_persistent(tf):
    x = tf.Variable(2.0)
    with tf.GradientTape(persistent=True) as g:
        y = x * x
        x.assign_add(1.0)
        z = x * x
    return [g.gradient(y, x), g.gradient(z, x), g.gradient([y, z], x)]


@snippet("variable")
def read_values_at_read_time(tf):
    x = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as g:
        y = x + 1.0
        x.assign([10.0, 20.0])
        z = y * x
    return g.gradient(z, x)


@snippet("variable")
def assign_does_not_chain(tf):
    x = tf.Variable(2.0)
    with tf.GradientTape() as g:
        x.assign(x * 3.0)
        z = x * 1.0
    return [g.gradient(z, x), x.numpy()]


@snippet("variable")
def assign_from_other_tensor_no_gradient(tf):
    x = tf.Variable(0.0)
    w = tf.Variable(2.0)
    with tf.GradientTape() as g:
        x.assign(w * 3.0)
        z = x * x
    return g.gradient(z, [w, x])


@snippet("variable")
def unread_variable_from_assign_add(tf):
    x = tf.Variable(2.0)
    with tf.GradientTape() as g:
        r = x.assign_add(1.0)
        z = r * r
    return [kind(r), repr(r).startswith("<tf.Variable 'UnreadVariable'"), g.gradient(z, x),
            r.numpy()]


@snippet("variable")
def assign_read_value_false(tf):
    x = tf.Variable(2.0)
    return [x.assign(5.0, read_value=False), x.assign_sub(1.0, read_value=False), x.numpy()]


@snippet("variable")
def unread_variable_as_source(tf):
    x = tf.Variable(1.0)
    with tf.GradientTape() as g:
        r = x.assign(4.0)
        loss = x * 2.0
    return g.gradient(loss, r)


@snippet("variable", msg=False)
def no_tf_assign_in_tf2(tf):
    x = tf.Variable(1.0)
    return tf.assign(x, 2.0)


@snippet("variable")
def all_read_paths_count(tf):
    x = tf.Variable(1.5)
    with tf.GradientTape() as g:
        y = x + x.value() + x.read_value() + tf.convert_to_tensor(x)
    return g.gradient(y, x)


@snippet("variable")
def value_taken_outside_tape(tf):
    x = tf.Variable(1.5)
    snap = x.value()
    with tf.GradientTape() as g:
        y = x * 2.0
    return g.gradient(y, [snap, x])


@snippet("variable")
def numpy_read_is_constant(tf):
    x = tf.Variable(3.0)
    with tf.GradientTape() as g:
        y = x.numpy() * x
    return g.gradient(y, x)


@snippet("variable")
def variable_from_expression_no_link(tf):
    a = tf.constant(2.0)
    with tf.GradientTape() as g:
        g.watch(a)
        v = tf.Variable(a * 2.0)
        y = v * 1.0
    return [g.gradient(y, a), v.numpy()]


@snippet("variable")
def variable_item_assignment(tf):
    v = tf.Variable([1.0, 2.0])
    v[0] = 3.0
    return v


@snippet("variable", msg=False)
def tensor_item_assignment(tf):
    t = tf.constant([1.0, 2.0])
    t[0] = 3.0
    return t


@snippet("variable")
def sliced_assign_works(tf):
    v = tf.Variable([1.0, 2.0, 3.0])
    v[1].assign(7.0)
    return v.numpy()


@snippet("variable")
def assign_shape_mismatch(tf):
    v = tf.Variable(1.0)
    return v.assign([1.0, 2.0])


@snippet("variable")
def assign_float_to_int_variable(tf):
    v = tf.Variable(1)
    return v.assign(2.5)


@snippet("variable")
def assign_int_to_float_variable(tf):
    v = tf.Variable(1.0)
    v.assign(3)
    return [v.numpy(), v.dtype]


@snippet("variable")
def rebinding_name_makes_tensor(tf):
    x = tf.Variable(2.0)
    with tf.GradientTape() as g:
        x0 = x
        x = x * 3.0
    return [kind(x), kind(x0), g.gradient(x, x0)]


@snippet("variable")
def assign_sub_then_read_twice(tf):
    v = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as g:
        a = tf.reduce_sum(v * v)
        v.assign_sub([0.5, 0.5])
        b = tf.reduce_sum(v * v * v)
        total = a + b
    return [g.gradient(total, v), v.numpy()]


@snippet("variable")
def target_summed_after_tape_exit(tf):
    v = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as g:
        a = tf.reduce_sum(v * v)
        b = tf.reduce_sum(v * 3.0)
    return g.gradient(a + b, v)


@snippet("variable")
def variable_watched_after_tape_exit_read(tf):
    v = tf.Variable(2.0)
    with tf.GradientTape() as g:
        pass
    y = v * v
    return [g.gradient(y, v), len(g.watched_variables())]


@snippet("variable")
def gradient_wrt_variable_and_its_read(tf):
    v = tf.Variable(2.0)
    with tf.GradientTape() as g:
        r = v.read_value()
        y = r * r * v
    return g.gradient(y, [v, r])


@snippet("variable")
def trainable_false_watch_in_second_tape(tf):
    v = tf.Variable(2.0, trainable=False)
    out = []
    for watch in (False, True):
        with tf.GradientTape() as g:
            if watch:
                g.watch(v)
            y = v * v
        out.append(g.gradient(y, v))
    return out


@snippet("variable")
def assign_inside_stop_recording(tf):
    v = tf.Variable(1.0)
    with tf.GradientTape() as g:
        with g.stop_recording():
            v.assign(4.0)
        y = v * v
    return [g.gradient(y, v), outcome(lambda: v.numpy())]
