using System.Runtime.CompilerServices;

namespace Veritensor.Training;

/// <summary>The mean softmax cross-entropy of a batch of logits against class labels, and its gradient.</summary>
public static class SoftmaxCrossEntropy
{
    /// <summary>
    /// The mean loss over the batch; writes d(loss)/d(logits) = (softmax − one-hot) / batch into
    /// <paramref name="gradient"/> when it is given. Softmax subtracts each row's maximum first, so large logits do
    /// not overflow.
    /// </summary>
    // Training loops run long inside few calls: compile them optimised at once, not at tier 0 first.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Loss(float[] logits, IReadOnlyList<int> labels, int classes, float[]? gradient = null)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        var batch = labels.Count;
        if (logits.Length != batch * classes)
            throw new ArgumentException($"expected {batch} × {classes} logits, got {logits.Length}", nameof(logits));
        if (gradient is not null && gradient.Length != logits.Length)
            throw new ArgumentException("the gradient must be as long as the logits", nameof(gradient));
        var total = 0d;
        for (var row = 0; row < batch; row++)
        {
            var label = labels[row];
            if ((uint)label >= (uint)classes)
                throw new ArgumentOutOfRangeException(
                    nameof(labels),
                    $"label {label} of row {row} is not below {classes}"
                );
            var z = logits.AsSpan(row * classes, classes);
            var max = float.NegativeInfinity;
            foreach (var value in z)
                max = MathF.Max(max, value);
            var sum = 0f;
            foreach (var value in z)
                sum += MathF.Exp(value - max);
            total += MathF.Log(sum) - (z[label] - max);
            if (gradient is null)
                continue;
            var g = gradient.AsSpan(row * classes, classes);
            for (var c = 0; c < classes; c++)
                g[c] = (MathF.Exp(z[c] - max) / sum - (c == label ? 1f : 0f)) / batch;
        }
        return (float)(total / batch);
    }
}
