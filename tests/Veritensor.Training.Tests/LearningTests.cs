using Veritensor.Core;

namespace Veritensor.Training.Tests;

/// <summary>Training lowers the loss and learns a learnable problem, with either optimizer; bad arguments are named.</summary>
[UnitTest]
public sealed class LearningTests
{
    public static TheoryData<string> Optimizers => ["sgd", "adam"];

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Loss_goes_down_and_held_out_accuracy_goes_up(string name)
    {
        var (train, trainLabels) = Blobs.Generate(600, 6, 4, seed: 11);
        var (test, testLabels) = Blobs.Generate(200, 6, 4, seed: 11);
        var model = Sequential.Mlp([6, 32, 4], seed: 5);
        IOptimizer optimizer = name == "sgd" ? new SgdOptimizer(0.1f) : new AdamOptimizer(0.01f);
        var before = model.Accuracy(test, testLabels);
        var shuffle = new SplitMix64(3);
        var losses = Enumerable
            .Range(0, 20)
            .Select(_ => MiniBatchTrainer.TrainEpoch(model, optimizer, train, trainLabels, 32, shuffle))
            .ToArray();
        Assert.True(losses[^1] < 0.3 * losses[0], $"loss {losses[0]} → {losses[^1]}");
        var after = model.Accuracy(test, testLabels);
        Assert.True(after >= 0.95, $"held-out accuracy {after} (before training {before})");
        Assert.True(after > before + 0.3);
    }

    [Fact]
    public void Mismatched_shapes_and_labels_are_refused_with_what_is_wrong()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            new Sequential([new DenseLayer(4, 3, new SplitMix64(1)), new ReluLayer(5)])
        );
        Assert.Contains("layer 1 takes 5 inputs but layer 0 gives 3", e.Message, StringComparison.Ordinal);
        var model = Sequential.Mlp([4, 3], 1);
        Assert.Throws<ArgumentException>(() => model.Forward(new float[7], 2));
        var label = Assert.Throws<ArgumentOutOfRangeException>(() => SoftmaxCrossEntropy.Loss(new float[6], [0, 3], 3));
        Assert.Contains("label 3 of row 1", label.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SgdOptimizer(0));
    }
}
