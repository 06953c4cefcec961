using Veritensor.Core;

namespace Veritensor.Training;

/// <summary>Layers applied in order, each one's output the next one's input: a classifier whose last layer gives the logits.</summary>
public sealed class Sequential
{
    public Sequential(IReadOnlyList<ILayer> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Count == 0)
            throw new ArgumentException("a model needs at least one layer", nameof(layers));
        for (var i = 1; i < layers.Count; i++)
            if (layers[i].InputSize != layers[i - 1].OutputSize)
                throw new ArgumentException(
                    $"layer {i} takes {layers[i].InputSize} inputs but layer {i - 1} gives {layers[i - 1].OutputSize}",
                    nameof(layers)
                );
        Layers = layers;
    }

    /// <summary>
    /// A multilayer perceptron: dense layers of <paramref name="sizes"/> (inputs first, classes last) with ReLU between
    /// them, initialised from <paramref name="seed"/>.
    /// </summary>
    public static Sequential Mlp(IReadOnlyList<int> sizes, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        if (sizes.Count < 2)
            throw new ArgumentException("an MLP needs an input size and an output size at least", nameof(sizes));
        var random = new SplitMix64(seed);
        var layers = new List<ILayer>();
        for (var i = 1; i < sizes.Count; i++)
        {
            layers.Add(new DenseLayer(sizes[i - 1], sizes[i], random));
            if (i < sizes.Count - 1)
                layers.Add(new ReluLayer(sizes[i]));
        }
        return new Sequential(layers);
    }

    public IReadOnlyList<ILayer> Layers { get; }
    public int InputSize => Layers[0].InputSize;
    public int OutputSize => Layers[^1].OutputSize;
    public IEnumerable<Parameter> Parameters => Layers.SelectMany(l => l.Parameters);

    public float[] Forward(float[] input, int batch)
    {
        var activations = input;
        foreach (var layer in Layers)
            activations = layer.Forward(activations, batch);
        return activations;
    }

    /// <summary>Back-propagates the gradient of the logits through every layer (after <see cref="Forward"/> on the same batch).</summary>
    public float[] Backward(float[] logitsGradient, int batch)
    {
        var gradient = logitsGradient;
        for (var i = Layers.Count - 1; i >= 0; i--)
            gradient = Layers[i].Backward(gradient, batch);
        return gradient;
    }

    /// <summary>The fraction of rows whose largest logit is their label.</summary>
    public double Accuracy(float[] inputs, IReadOnlyList<int> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var logits = Forward(inputs, labels.Count);
        var correct = 0;
        for (var row = 0; row < labels.Count; row++)
        {
            var z = logits.AsSpan(row * OutputSize, OutputSize);
            var best = 0;
            for (var c = 1; c < z.Length; c++)
                if (z[c] > z[best])
                    best = c;
            if (best == labels[row])
                correct++;
        }
        return labels.Count == 0 ? 0 : correct / (double)labels.Count;
    }
}
