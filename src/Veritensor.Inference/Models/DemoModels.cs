using Google.Protobuf;
using Onnx;
using Veritensor.Core;
using Veritensor.Tensors;

namespace Veritensor.Inference.Models;

/// <summary>
/// Small ONNX models built in code (opset 13, IR version 8) for demos and tests. Weights come from a seeded
/// SplitMix64 generator, so the same seed always gives a byte-identical file on every machine.
/// </summary>
public static class DemoModels
{
    public const string MlpInput = "features";
    public const string MlpOutput = "probabilities";
    public const int MlpFeatures = 8;
    public const int MlpHidden = 16;
    public const int MlpClasses = 3;

    /// <summary>
    /// "features" float32[batch,8] → Gemm(16) → Relu → Gemm(3) → Softmax → "probabilities" float32[batch,3].
    /// </summary>
    public static byte[] BuildMlpClassifier(int seed = 7)
    {
        var random = new SplitMix64(unchecked((ulong)seed));
        var graph = new GraphProto { Name = "veritensor_mlp_classifier" };
        graph.Initializer.Add(FloatInitializer("w1", [MlpFeatures, MlpHidden], random, MathF.Sqrt(2f / MlpFeatures)));
        graph.Initializer.Add(FloatInitializer("b1", [MlpHidden], random, 0.1f));
        graph.Initializer.Add(FloatInitializer("w2", [MlpHidden, MlpClasses], random, MathF.Sqrt(2f / MlpHidden)));
        graph.Initializer.Add(FloatInitializer("b2", [MlpClasses], random, 0.1f));
        graph.Node.Add(Node("Gemm", "gemm1", ["features", "w1", "b1"], "hidden"));
        graph.Node.Add(Node("Relu", "relu1", ["hidden"], "hidden_relu"));
        graph.Node.Add(Node("Gemm", "gemm2", ["hidden_relu", "w2", "b2"], "logits"));
        graph.Node.Add(Node("Softmax", "softmax", ["logits"], "probabilities"));
        graph.Input.Add(ValueInfo(MlpInput, TensorElementType.Float, "batch", MlpFeatures));
        graph.Output.Add(ValueInfo(MlpOutput, TensorElementType.Float, "batch", MlpClasses));
        return Serialize(graph);
    }

    /// <summary>"x" → Identity → "y", both <paramref name="elementType"/>[n]: runs every tensor type through ORT.</summary>
    public static byte[] BuildIdentity(TensorElementType elementType)
    {
        var graph = new GraphProto { Name = "veritensor_identity" };
        graph.Node.Add(Node("Identity", "identity", ["x"], "y"));
        graph.Input.Add(ValueInfo("x", elementType, "n"));
        graph.Output.Add(ValueInfo("y", elementType, "n"));
        return Serialize(graph);
    }

    private static byte[] Serialize(GraphProto graph)
    {
        var model = new ModelProto
        {
            IrVersion = 8,
            ProducerName = "veritensor",
            ProducerVersion = "1",
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        return model.ToByteArray();
    }

    private static NodeProto Node(string opType, string name, string[] inputs, string output)
    {
        var node = new NodeProto { OpType = opType, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        return node;
    }

    private static ValueInfoProto ValueInfo(
        string name,
        TensorElementType type,
        string symbolicFirstDim,
        params int[] fixedDims
    )
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = symbolicFirstDim });
        foreach (var dim in fixedDims)
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = dim });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto
            {
                TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape },
            },
        };
    }

    private static TensorProto FloatInitializer(string name, long[] dims, SplitMix64 random, float scale)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorElementType.Float };
        tensor.Dims.AddRange(dims);
        var count = dims.Aggregate(1L, (a, b) => a * b);
        for (long i = 0; i < count; i++)
            tensor.FloatData.Add(random.NextSignedUnit() * scale);
        return tensor;
    }
}
