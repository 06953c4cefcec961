using System.IO.Compression;
using Veritensor.Core;

namespace Veritensor.Training.Tests;

/// <summary>The real data sets the README's test command fetches from Debian; skipped, saying so, when they are missing.</summary>
[UnitTest]
public sealed class RealDataTests
{
    [Fact]
    public void Sklearn_digits_load_and_a_small_mlp_learns_them()
    {
        var path = TestData.RequireSklearnDigits();
        DataSet digits;
        using (var file = File.OpenRead(path))
        using (var gzip = new GZipStream(file, CompressionMode.Decompress))
        using (var text = new StreamReader(gzip))
            digits = CsvDataSetReader.Read(text, -1, 10, scale: 16);
        Assert.Equal((1797, 64), (digits.Count, digits.Features));
        Assert.All(Enumerable.Range(0, 10), c => Assert.Contains(c, digits.Labels));

        var train = digits.Slice(0, 1500);
        var test = digits.Slice(1500, 297);
        var model = Sequential.Mlp([64, 128, 10], seed: 1);
        var optimizer = new AdamOptimizer(1e-3f);
        var shuffle = new SplitMix64(2);
        for (var epoch = 0; epoch < 15; epoch++)
            MiniBatchTrainer.TrainEpoch(model, optimizer, train.Inputs, train.Labels, 32, shuffle);
        var accuracy = model.Accuracy(test.Inputs, test.Labels);
        Assert.True(accuracy >= 0.88, $"held-out accuracy {accuracy}");
    }

    [Fact]
    public void Fashion_mnist_loads_with_sixty_thousand_training_images_of_ten_balanced_classes()
    {
        var folder = TestData.RequireFashionMnist();
        using var images = File.OpenRead(Path.Combine(folder, "train-images-idx3-ubyte.gz"));
        using var labels = File.OpenRead(Path.Combine(folder, "train-labels-idx1-ubyte.gz"));
        var set = IdxReader.ReadDataSet(images, labels, gzipped: true, classes: 10);
        Assert.Equal((60_000, 784), (set.Count, set.Features));
        Assert.All(set.Labels.GroupBy(l => l), g => Assert.Equal(6000, g.Count()));
        Assert.InRange(set.Inputs.Max(), 0.99f, 1f);
        Assert.Equal(0f, set.Inputs.Min());
    }
}
