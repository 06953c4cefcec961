using Veritensor.Core;

namespace Veritensor.Training.Tests;

/// <summary>
/// Every gradient the layers compute equals the loss's central finite difference. Where a step crosses a ReLU or
/// max-pool switch the loss has a kink there, and its left and right differences disagree: such a coordinate says
/// nothing about the code and is left out, but only a few may be.
/// </summary>
[UnitTest]
public sealed class GradientTests
{
    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    public void Dense_relu_and_softmax_cross_entropy_gradients_match_finite_differences(ulong seed)
    {
        var model = Sequential.Mlp([5, 7, 4, 3], seed);
        var random = new SplitMix64(seed + 100);
        var inputs = Enumerable.Range(0, 4 * 5).Select(_ => 2f * random.NextSignedUnit()).ToArray();
        var (worst, compared, kinks) = Check(model, inputs, [0, 2, 1, 2], step: 3e-3f);
        Assert.Equal(5 * 7 + 7 + 7 * 4 + 4 + 4 * 3 + 3 + 4 * 5, compared + kinks);
        Assert.True(kinks <= (compared + kinks) / 10, $"{kinks} of {compared + kinks} coordinates sit on a kink");
        Assert.True(worst < 2e-2, $"largest relative gradient error {worst}");
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    [InlineData(4UL)]
    public void Convolution_max_pooling_and_flatten_gradients_match_finite_differences(ulong seed)
    {
        var model = SmallCnn(seed);
        var random = new SplitMix64(seed + 200);
        var inputs = Enumerable.Range(0, 2 * model.InputSize).Select(_ => random.NextSignedUnit()).ToArray();
        // A convolution weight moves every position of its filter at once, so it meets switches more often: 1e-3.
        var (worst, compared, kinks) = Check(model, inputs, [3, 1], step: 1e-3f);
        Assert.True(kinks <= (compared + kinks) / 10, $"{kinks} of {compared + kinks} coordinates sit on a kink");
        Assert.True(worst < 2e-2, $"largest relative gradient error {worst}");
    }

    [Fact]
    public void A_wrong_gradient_is_caught_by_the_same_check()
    {
        // The check must be able to fail: a gradient off by 10 % is flagged.
        Assert.True(Error(1.1f, 1.0f) > 2e-2);
        Assert.True(Error(1.0f, 1.0f) < 1e-6);
        var model = Sequential.Mlp([3, 2], 1);
        var inputs = new float[] { 0.5f, -1f, 2f };
        var layer = (DenseLayer)model.Layers[0];
        var (worst, _, _) = Check(model, inputs, [1], 3e-3f, corrupt: () => layer.Weights.Gradient[0] *= 1.5f);
        Assert.True(worst > 0.1, $"a corrupted gradient went unnoticed ({worst})");
    }

    /// <summary>1×6×6 images → Conv 3×3 (3 filters, padding 1) → ReLU → MaxPool 2 → Flatten → Dense(27 → 4).</summary>
    internal static Sequential SmallCnn(ulong seed)
    {
        var random = new SplitMix64(seed);
        return new Sequential([
            new Conv2DLayer(1, 6, 6, 3, 3, 1, random),
            new ReluLayer(3 * 6 * 6),
            new MaxPoolLayer(3, 6, 6),
            new FlattenLayer(27),
            new DenseLayer(27, 4, random),
        ]);
    }

    /// <summary>The largest relative error over every parameter and input coordinate away from a kink, how many were compared, and how many sat on a kink.</summary>
    private static (double Worst, int Compared, int Kinks) Check(
        Sequential model,
        float[] inputs,
        int[] labels,
        float step,
        Action? corrupt = null
    )
    {
        var batch = labels.Length;
        var logits = model.Forward(inputs, batch);
        var logitsGradient = new float[logits.Length];
        SoftmaxCrossEntropy.Loss(logits, labels, model.OutputSize, logitsGradient);
        var inputGradient = model.Backward(logitsGradient, batch);
        corrupt?.Invoke();
        float Loss() => SoftmaxCrossEntropy.Loss(model.Forward(inputs, batch), labels, model.OutputSize);
        var center = Loss();
        var (worst, compared, kinks) = (0d, 0, 0);
        void Compare(float analytic, float[] values, int index)
        {
            var original = values[index];
            values[index] = original + step;
            var up = Loss();
            values[index] = original - step;
            var down = Loss();
            values[index] = original;
            var right = (up - center) / step;
            var left = (center - down) / step;
            if (Error(right, left) > 2e-2)
            {
                kinks++;
                return;
            }
            compared++;
            worst = Math.Max(worst, Error(analytic, (up - down) / (2 * step)));
        }
        foreach (var parameter in model.Parameters)
            for (var i = 0; i < parameter.Value.Length; i++)
                Compare(parameter.Gradient[i], parameter.Value, i);
        for (var i = 0; i < inputs.Length; i++)
            Compare(inputGradient[i], inputs, i);
        return (worst, compared, kinks);
    }

    /// <summary>|a − n| / max(|a| + |n|, 1e-2): relative where the gradient is large, absolute near zero.</summary>
    private static double Error(float analytic, float numeric) =>
        Math.Abs(analytic - numeric) / Math.Max(Math.Abs(analytic) + Math.Abs(numeric), 1e-2);
}
