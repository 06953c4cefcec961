using Onnx;
using Veritensor.Tensors;

namespace Veritensor.Inference.Conformance;

/// <summary>
/// One ONNX backend test case in the layout of the ONNX repository and Debian's <c>libonnx-testdata</c>:
/// <c>{case}/model.onnx</c> with <c>{case}/test_data_set_0/input_N.pb</c> and <c>output_N.pb</c>. Golden data
/// for conformance tests of the executor, reusable by any project's tests.
/// </summary>
internal sealed record OnnxTestCase(
    string Name,
    string Directory,
    string ModelPath,
    long Opset,
    IReadOnlyList<string> InputFiles,
    IReadOnlyList<string> OutputFiles
)
{
    /// <summary>The ONNX backend runner's tolerance: |a − b| ≤ atol + rtol·|expected|.</summary>
    public const double BackendRelativeTolerance = 1e-3;
    public const double BackendAbsoluteTolerance = 1e-7;

    /// <summary>Every case under <paramref name="suiteDirectory"/> that has a model and a first data set, sorted by name.</summary>
    public static IReadOnlyList<OnnxTestCase> Discover(string suiteDirectory)
    {
        ArgumentNullException.ThrowIfNull(suiteDirectory);
        var cases = new List<OnnxTestCase>();
        foreach (var directory in System.IO.Directory.GetDirectories(suiteDirectory).Order(StringComparer.Ordinal))
        {
            if (Load(directory) is { } testCase)
                cases.Add(testCase);
        }
        return cases;
    }

    /// <summary>The case in <paramref name="directory"/>, or null when it has no model.onnx or no test_data_set_0.</summary>
    public static OnnxTestCase? Load(string directory)
    {
        var model = Path.Combine(directory, "model.onnx");
        var data = Path.Combine(directory, "test_data_set_0");
        if (!File.Exists(model) || !System.IO.Directory.Exists(data))
            return null;
        return new OnnxTestCase(
            Path.GetFileName(directory),
            directory,
            model,
            ReadOpset(model),
            Numbered(data, "input"),
            Numbered(data, "output")
        );
    }

    public IReadOnlyList<NamedTensor> LoadInputs() => InputFiles.Select(f => TensorProtoCodec.DecodeFile(f)).ToArray();

    public IReadOnlyList<NamedTensor> LoadExpectedOutputs() =>
        OutputFiles.Select(f => TensorProtoCodec.DecodeFile(f)).ToArray();

    /// <summary>The inputs, named after the model's inputs by position and adapted to their types (see <see cref="Adapt"/>).</summary>
    public IReadOnlyList<NamedTensor> LoadInputs(ModelSignature signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        return LoadInputs()
            .Select((t, i) => Adapt(t, i < signature.Inputs.Count ? signature.Inputs[i] : null))
            .ToArray();
    }

    /// <summary>The expected outputs, named after the model's outputs by position and adapted to their types.</summary>
    public IReadOnlyList<NamedTensor> LoadExpectedOutputs(ModelSignature signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        return LoadExpectedOutputs()
            .Select((t, i) => Adapt(t, i < signature.Outputs.Count ? signature.Outputs[i] : null))
            .ToArray();
    }

    /// <summary>
    /// Takes the name from <paramref name="spec"/>, and reads a uint16 tensor as bfloat16 where the model declares
    /// bfloat16: test data written by ONNX before 1.13 stored bfloat16 bit patterns with data_type UINT16.
    /// </summary>
    private static NamedTensor Adapt(NamedTensor tensor, TensorSpec? spec)
    {
        if (spec is null)
            return tensor;
        var data = tensor.Tensor;
        if (spec.ElementType == TensorElementType.BFloat16 && data.ElementType == TensorElementType.UInt16)
            data = Tensor.FromRaw(TensorElementType.BFloat16, data.Shape, data.Data.Span);
        return new NamedTensor(spec.Name, data);
    }

    /// <summary>The default-domain opset the model imports (0 when it imports none).</summary>
    private static long ReadOpset(string modelPath)
    {
        using var stream = File.OpenRead(modelPath);
        var model = ModelProto.Parser.ParseFrom(stream);
        return model.OpsetImport.Where(o => o.Domain is "" or "ai.onnx").Select(o => o.Version).DefaultIfEmpty(0).Max();
    }

    private static string[] Numbered(string directory, string prefix)
    {
        var files = new List<string>();
        for (var i = 0; File.Exists(Path.Combine(directory, $"{prefix}_{i}.pb")); i++)
            files.Add(Path.Combine(directory, $"{prefix}_{i}.pb"));
        return [.. files];
    }
}
