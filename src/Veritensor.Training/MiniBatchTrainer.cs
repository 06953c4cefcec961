using System.Runtime.CompilerServices;
using Veritensor.Core;

namespace Veritensor.Training;

/// <summary>One pass over a data set in shuffled mini-batches: forward, softmax cross-entropy, backward, optimizer step.</summary>
public static class MiniBatchTrainer
{
    /// <summary>
    /// Trains <paramref name="model"/> for one epoch over <paramref name="inputs"/> (rows of the model's input size) and
    /// <paramref name="labels"/>, in an order shuffled by <paramref name="random"/> (Fisher–Yates), and returns the mean
    /// loss of its batches. The last batch may be smaller.
    /// </summary>
    // Training loops run long inside few calls: compile them optimised at once, not at tier 0 first.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float TrainEpoch(
        Sequential model,
        IOptimizer optimizer,
        float[] inputs,
        IReadOnlyList<int> labels,
        int batchSize,
        SplitMix64 random
    )
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        var width = model.InputSize;
        if (inputs.Length != labels.Count * width)
            throw new ArgumentException(
                $"expected {labels.Count} rows of {width} inputs, got {inputs.Length} values",
                nameof(inputs)
            );
        var order = Enumerable.Range(0, labels.Count).ToArray();
        for (var i = order.Length - 1; i > 0; i--)
        {
            var j = random.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        var lossSum = 0d;
        var batches = 0;
        for (var start = 0; start < order.Length; start += batchSize)
        {
            var size = Math.Min(batchSize, order.Length - start);
            var batchInputs = new float[size * width];
            var batchLabels = new int[size];
            for (var k = 0; k < size; k++)
            {
                inputs.AsSpan(order[start + k] * width, width).CopyTo(batchInputs.AsSpan(k * width));
                batchLabels[k] = labels[order[start + k]];
            }
            var logits = model.Forward(batchInputs, size);
            var gradient = new float[logits.Length];
            lossSum += SoftmaxCrossEntropy.Loss(logits, batchLabels, model.OutputSize, gradient);
            model.Backward(gradient, size);
            optimizer.Step(model.Parameters);
            batches++;
        }
        return batches == 0 ? 0f : (float)(lossSum / batches);
    }
}
