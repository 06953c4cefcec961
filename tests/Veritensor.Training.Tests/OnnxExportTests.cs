using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Inference.Execution;
using Veritensor.Tensors;

namespace Veritensor.Training.Tests;

/// <summary>An exported model runs in ONNX Runtime (through the node's model policy) as it does in the trainer, and the same seed gives the same file.</summary>
[UnitTest]
public sealed class OnnxExportTests
{
    private static (Sequential Model, byte[] Onnx) Train(ulong seed)
    {
        var (inputs, labels) = Blobs.Generate(300, 6, 4, seed: 21);
        var model = Sequential.Mlp([6, 16, 8, 4], seed);
        var optimizer = new AdamOptimizer(0.01f);
        var shuffle = new SplitMix64(seed);
        for (var epoch = 0; epoch < 5; epoch++)
            MiniBatchTrainer.TrainEpoch(model, optimizer, inputs, labels, 32, shuffle);
        return (model, OnnxExport.ToOnnx(model));
    }

    [Fact]
    public void A_convolutional_model_runs_in_onnx_runtime_as_in_the_trainer()
    {
        var model = GradientTests.SmallCnn(4);
        var random = new SplitMix64(5);
        var inputs = Enumerable.Range(0, 10 * 36).Select(_ => random.NextSignedUnit()).ToArray();
        int[] labels = [0, 1, 2, 3, 0, 1, 2, 3, 0, 1];
        var optimizer = new AdamOptimizer(0.01f);
        for (var epoch = 0; epoch < 3; epoch++)
            MiniBatchTrainer.TrainEpoch(model, optimizer, inputs, labels, 4, random);
        var onnx = OnnxExport.ToOnnx(model);
        var expected = model.Forward(inputs, 10);

        using var executor = new OnnxExecutor();
        var id = Hash256.Compute(onnx);
        executor.Load(id, onnx);
        var output = Assert.Single(
            executor.Run(id, [new NamedTensor(OnnxExport.InputName, Tensor.FromFloats([10, 1, 6, 6], inputs))])
        );
        Assert.Equal([10L, 4L], output.Tensor.Shape);
        var actual = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(output.Tensor.Data.Span).ToArray();
        var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= 1e-4, $"largest logit difference {worst}");
    }

    [Fact]
    public void A_model_onnx_cannot_express_is_refused_by_name()
    {
        var random = new SplitMix64(1);
        var noFlatten = new Sequential([new Conv2DLayer(1, 4, 4, 2, 3, 1, random), new DenseLayer(32, 2, random)]);
        var e = Assert.Throws<NotSupportedException>(() => OnnxExport.ToOnnx(noFlatten));
        Assert.Contains("put a flatten layer before it", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_seed_gives_a_byte_identical_file_and_another_seed_another()
    {
        var first = Train(seed: 8).Onnx;
        var again = Train(seed: 8).Onnx;
        var other = Train(seed: 9).Onnx;
        Assert.Equal(Hash256.Compute(first), Hash256.Compute(again));
        Assert.NotEqual(Hash256.Compute(first), Hash256.Compute(other));
    }

    [Fact]
    public void Onnx_runtime_gives_the_trainers_logits_within_1e_4()
    {
        var (model, onnx) = Train(seed: 8);
        var (inputs, _) = Blobs.Generate(50, 6, 4, seed: 99);
        var expected = model.Forward(inputs, 50);

        using var executor = new OnnxExecutor();
        var id = Hash256.Compute(onnx);
        var signature = executor.Load(id, onnx);
        Assert.Equal(OnnxExport.InputName, Assert.Single(signature.Inputs).Name);
        var output = Assert.Single(
            executor.Run(id, [new NamedTensor(OnnxExport.InputName, Tensor.FromFloats([50, 6], inputs))])
        );
        Assert.Equal(OnnxExport.OutputName, output.Name);
        Assert.Equal([50L, 4L], output.Tensor.Shape);
        var actual = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(output.Tensor.Data.Span).ToArray();
        Assert.Equal(expected.Length, actual.Length);
        var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= 1e-4, $"largest logit difference {worst}");
    }
}
