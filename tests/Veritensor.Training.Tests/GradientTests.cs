using Veritensor.Core;

namespace Veritensor.Training.Tests;

/// <summary>Every gradient the layers compute equals the loss's central finite difference (step 3e-3; 1e-2 is too coarse at ReLU kinks).</summary>
[UnitTest]
public sealed class GradientTests
{
    private const float Step = 3e-3f;

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    public void Dense_relu_and_softmax_cross_entropy_gradients_match_finite_differences(ulong seed)
    {
        var model = Sequential.Mlp([5, 7, 4, 3], seed);
        var random = new SplitMix64(seed + 100);
        const int batch = 4;
        var inputs = Enumerable.Range(0, batch * 5).Select(_ => 2f * random.NextSignedUnit()).ToArray();
        int[] labels = [0, 2, 1, 2];

        var logits = model.Forward(inputs, batch);
        var logitsGradient = new float[logits.Length];
        SoftmaxCrossEntropy.Loss(logits, labels, 3, logitsGradient);
        var inputGradient = model.Backward(logitsGradient, batch);

        float Loss() => SoftmaxCrossEntropy.Loss(model.Forward(inputs, batch), labels, 3);
        var worst = 0d;
        var checkedCount = 0;
        foreach (var parameter in model.Parameters)
            for (var i = 0; i < parameter.Value.Length; i++)
            {
                worst = Math.Max(worst, Error(parameter.Gradient[i], Numeric(parameter.Value, i, Loss)));
                checkedCount++;
            }
        for (var i = 0; i < inputs.Length; i++)
        {
            worst = Math.Max(worst, Error(inputGradient[i], Numeric(inputs, i, Loss)));
            checkedCount++;
        }
        Assert.Equal(5 * 7 + 7 + 7 * 4 + 4 + 4 * 3 + 3 + batch * 5, checkedCount);
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
        const int batch = 2;
        var inputs = Enumerable.Range(0, batch * model.InputSize).Select(_ => random.NextSignedUnit()).ToArray();
        int[] labels = [3, 1];

        var logits = model.Forward(inputs, batch);
        var logitsGradient = new float[logits.Length];
        SoftmaxCrossEntropy.Loss(logits, labels, 4, logitsGradient);
        var inputGradient = model.Backward(logitsGradient, batch);

        float Loss() => SoftmaxCrossEntropy.Loss(model.Forward(inputs, batch), labels, 4);
        // A convolution weight moves every position of its filter at once, so a 3e-3 step can cross a ReLU or max-pool
        // switch somewhere; 1e-3 stays clear of them and is still well above float noise in the loss.
        const float step = 1e-3f;
        var worst = 0d;
        var where = "";
        foreach (var parameter in model.Parameters)
            for (var i = 0; i < parameter.Value.Length; i++)
            {
                var numeric = Numeric(parameter.Value, i, Loss, step);
                if (Error(parameter.Gradient[i], numeric) > worst)
                    (worst, where) = (Error(parameter.Gradient[i], numeric), $"{parameter.Name}[{i}]");
            }
        for (var i = 0; i < inputs.Length; i++)
        {
            var numeric = Numeric(inputs, i, Loss, step);
            if (Error(inputGradient[i], numeric) > worst)
                (worst, where) = (Error(inputGradient[i], numeric), $"input[{i}]");
        }
        Assert.True(worst < 2e-2, $"largest relative gradient error {worst}, at {where}");
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

    [Fact]
    public void A_wrong_gradient_is_caught_by_the_same_check()
    {
        // The check above must be able to fail: a gradient off by 10 % is flagged.
        Assert.True(Error(1.1f, 1.0f) > 2e-2);
        Assert.True(Error(1.0f, 1.0f) < 1e-6);
    }

    private static float Numeric(float[] values, int index, Func<float> loss, float step = Step)
    {
        var original = values[index];
        values[index] = original + step;
        var up = loss();
        values[index] = original - step;
        var down = loss();
        values[index] = original;
        return (up - down) / (2 * step);
    }

    /// <summary>|a − n| / max(|a| + |n|, 1e-2): relative where the gradient is large, absolute near zero.</summary>
    private static double Error(float analytic, float numeric) =>
        Math.Abs(analytic - numeric) / Math.Max(Math.Abs(analytic) + Math.Abs(numeric), 1e-2);
}
