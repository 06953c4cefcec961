using Microsoft.ML.OnnxRuntime;
using Veritensor.Tensors;

namespace Veritensor.Inference.Models;

/// <summary>Reads a model's <see cref="ModelSignature"/> by loading it in ONNX Runtime; symbolic dimensions become -1.</summary>
public static class OnnxModelInspector
{
    public static ModelSignature Inspect(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new ModelLoadException($"model file '{path}' does not exist");
        return Inspect(File.ReadAllBytes(path), path);
    }

    public static ModelSignature Inspect(byte[] modelBytes, string source = "model")
    {
        using var session = OpenSession(modelBytes, new SessionOptions(), source);
        return SignatureOf(session, source);
    }

    /// <summary>
    /// Creates a session, turning ORT's load errors into a <see cref="ModelLoadException"/> that says what is wrong. Every
    /// session starts here, so every model passes <see cref="ModelPolicy"/> first, and ORT's external-data folder is an
    /// empty one of its own (a second fence should a tensor slip through naming a file).
    /// </summary>
    internal static InferenceSession OpenSession(byte[] modelBytes, SessionOptions options, string source)
    {
        ArgumentNullException.ThrowIfNull(modelBytes);
        ArgumentNullException.ThrowIfNull(options);
        if (modelBytes.Length == 0)
            throw new ModelLoadException($"{source} is empty, not an ONNX model");
        ModelPolicy.Check(modelBytes, source);
        options.AddSessionConfigEntry("session.model_external_initializers_file_folder_path", EmptyFolder.Value);
        try
        {
            return new InferenceSession(modelBytes, options);
        }
        catch (OnnxRuntimeException e)
        {
            // ORT's message starts with an error code in brackets and can carry a long path; the first line is the useful part.
            var reason = e.Message.Split('\n')[0].Trim();
            throw new ModelLoadException($"{source} is not a loadable ONNX model: {reason}", e);
        }
    }

    /// <summary>A folder this process created and keeps empty: where ORT would look for external data.</summary>
    private static readonly Lazy<string> EmptyFolder = new(() =>
        Directory.CreateTempSubdirectory("veritensor-no-external-data-").FullName
    );

    internal static ModelSignature SignatureOf(InferenceSession session, string source)
    {
        var inputs = session
            .InputNames.Select(name => Spec(name, session.InputMetadata[name], "input", source))
            .ToArray();
        var outputs = session
            .OutputNames.Select(name => Spec(name, session.OutputMetadata[name], "output", source))
            .ToArray();
        var signature = new ModelSignature(inputs, outputs);
        if (signature.Problem() is { } problem)
            throw new ModelLoadException($"{source}: {problem}");
        return signature;
    }

    private static TensorSpec Spec(string name, NodeMetadata metadata, string role, string source)
    {
        if (metadata.OnnxValueType != OnnxValueType.ONNX_TYPE_TENSOR)
            throw new ModelLoadException(
                $"{source}: {role} '{name}' is a {metadata.OnnxValueType}; only tensors are supported"
            );
        var type = (TensorElementType)(byte)metadata.ElementDataType;
        if ((int)metadata.ElementDataType is < 1 or > byte.MaxValue || !TensorElementTypes.IsDefined(type))
            throw new ModelLoadException(
                $"{source}: {role} '{name}' has unsupported element type {metadata.ElementDataType}"
            );
        var shape = metadata.Dimensions.Select(d => d < 0 ? TensorSpec.SymbolicDimension : (long)d).ToArray();
        return new TensorSpec(name, type, shape);
    }
}
