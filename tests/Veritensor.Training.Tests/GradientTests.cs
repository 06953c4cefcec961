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

    [Fact]
    public void A_wrong_gradient_is_caught_by_the_same_check()
    {
        // The check above must be able to fail: a gradient off by 10 % is flagged.
        Assert.True(Error(1.1f, 1.0f) > 2e-2);
        Assert.True(Error(1.0f, 1.0f) < 1e-6);
    }

    private static float Numeric(float[] values, int index, Func<float> loss)
    {
        var original = values[index];
        values[index] = original + Step;
        var up = loss();
        values[index] = original - Step;
        var down = loss();
        values[index] = original;
        return (up - down) / (2 * Step);
    }

    /// <summary>|a − n| / max(|a| + |n|, 1e-2): relative where the gradient is large, absolute near zero.</summary>
    private static double Error(float analytic, float numeric) =>
        Math.Abs(analytic - numeric) / Math.Max(Math.Abs(analytic) + Math.Abs(numeric), 1e-2);
}
