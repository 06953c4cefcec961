using Veritensor.Core.Crypto;
using Veritensor.Inference.Models;
using Veritensor.Tensors;

namespace Veritensor.Inference.Tests;

[UnitTest]
public class ModelTests
{
    private static readonly ModelSignature Mlp = OnnxModelInspector.Inspect(DemoModels.BuildMlpClassifier());

    [Fact]
    public void Demo_model_is_byte_identical_for_a_seed_and_differs_across_seeds()
    {
        Assert.Equal(
            Hash256.Compute(DemoModels.BuildMlpClassifier(7)),
            Hash256.Compute(DemoModels.BuildMlpClassifier(7))
        );
        Assert.NotEqual(
            Hash256.Compute(DemoModels.BuildMlpClassifier(7)),
            Hash256.Compute(DemoModels.BuildMlpClassifier(8))
        );
    }

    [Fact]
    public void Inspector_reads_the_demo_signature_with_a_symbolic_batch()
    {
        Assert.Equal([new TensorSpec("features", TensorElementType.Float, [-1, 8])], Mlp.Inputs);
        Assert.Equal([new TensorSpec("probabilities", TensorElementType.Float, [-1, 3])], Mlp.Outputs);
    }

    [Theory]
    [MemberData(nameof(SampleTensors.AllTypesData), MemberType = typeof(SampleTensors))]
    public void Inspector_reads_every_element_type(TensorElementType type)
    {
        var signature = OnnxModelInspector.Inspect(DemoModels.BuildIdentity(type));
        Assert.Equal(new TensorSpec("x", type, [-1]), signature.Inputs[0]);
    }

    [Fact]
    public void Inspector_explains_garbage_empty_and_truncated_files()
    {
        var garbage = Assert.Throws<ModelLoadException>(() =>
            OnnxModelInspector.Inspect("definitely not onnx"u8.ToArray())
        );
        Assert.Contains("is not a loadable ONNX model", garbage.Message);
        Assert.DoesNotContain("   at ", garbage.Message);
        Assert.Contains("is empty", Assert.Throws<ModelLoadException>(() => OnnxModelInspector.Inspect([])).Message);
        var model = DemoModels.BuildMlpClassifier();
        Assert.Throws<ModelLoadException>(() => OnnxModelInspector.Inspect(model[..(model.Length / 2)]));
        Assert.Contains(
            "does not exist",
            Assert.Throws<ModelLoadException>(() => OnnxModelInspector.Inspect("/nonexistent/model.onnx")).Message
        );
    }

    [Fact]
    public void Validator_accepts_matching_inputs_with_any_batch()
    {
        Assert.Null(
            ModelInputValidator.Problem(
                Mlp,
                [new NamedTensor("features", Tensor.FromFloats([5, 8], new float[40]))],
                1 << 20
            )
        );
        Assert.Null(
            ModelInputValidator.Problem(
                Mlp,
                [new NamedTensor("features", Tensor.FromFloats([1, 8], new float[8]))],
                1 << 20
            )
        );
    }

    [Theory]
    [InlineData("missing", "missing input 'features' (float32[?,8])")]
    [InlineData("unknown", "unknown input 'feature'; the model's inputs are 'features'")]
    [InlineData("type", "input 'features': expected float32[?,8], got int64[1,8]")]
    [InlineData("rank", "input 'features': expected float32[?,8], got float32[8]")]
    [InlineData("dimension", "input 'features': expected float32[?,8], got float32[1,4] (dimension 1 must be 8)")]
    [InlineData("twice", "input 'features' is given twice")]
    [InlineData("size", "inputs total 320 bytes, over the limit of 100 bytes")]
    public void Validator_names_the_first_mismatch(string kind, string expected)
    {
        var good = new NamedTensor("features", Tensor.FromFloats([1, 8], new float[8]));
        NamedTensor[] inputs = kind switch
        {
            "missing" => [],
            "unknown" => [good with { Name = "feature" }],
            "type" => [good with { Tensor = Tensor.FromInt64s([1, 8], new long[8]) }],
            "rank" => [good with { Tensor = Tensor.FromFloats([8], new float[8]) }],
            "dimension" => [good with { Tensor = Tensor.FromFloats([1, 4], new float[4]) }],
            "twice" => [good, good],
            _ => [good with { Tensor = Tensor.FromFloats([10, 8], new float[80]) }],
        };
        var e = Assert.Throws<InputValidationException>(() => ModelInputValidator.Validate(Mlp, inputs, 100));
        Assert.Equal(expected, e.Message);
    }

    [Fact]
    public void Binder_names_unnamed_tensors_by_position_and_keeps_named_ones()
    {
        var signature = new ModelSignature(
            [new TensorSpec("a", TensorElementType.Float, [1]), new TensorSpec("b", TensorElementType.Float, [1])],
            [new TensorSpec("y", TensorElementType.Float, [1])]
        );
        var t = Tensor.FromFloats([1], [1]);
        Assert.Equal(["a", "b"], InputBinder.BindByPosition(signature, [new("", t), new("", t)]).Select(n => n.Name));
        Assert.Equal(["b", "b"], InputBinder.BindByPosition(signature, [new("b", t), new("", t)]).Select(n => n.Name));
        Assert.Throws<InputValidationException>(() =>
            InputBinder.BindByPosition(signature, [new("", t), new("", t), new("", t)])
        );
    }
}
