using Google.Protobuf;
using Onnx;
using Veritensor.Tensors;

namespace Veritensor.Training;

/// <summary>
/// Writes a trained <see cref="Sequential"/> model as ONNX (opset 13, IR version 8): each dense layer a Gemm with its
/// weights as initializers (stored inline, never as external data), each ReLU a Relu. Input float32[batch, inputs],
/// output the logits float32[batch, classes]. The same model gives the same bytes.
/// </summary>
public static class OnnxExport
{
    public const string InputName = "features";
    public const string OutputName = "logits";

    public static byte[] ToOnnx(Sequential model, string graphName = "veritensor_trained")
    {
        ArgumentNullException.ThrowIfNull(model);
        var graph = new GraphProto { Name = graphName };
        var current = InputName;
        for (var i = 0; i < model.Layers.Count; i++)
        {
            var output = i == model.Layers.Count - 1 ? OutputName : $"layer{i}";
            switch (model.Layers[i])
            {
                case DenseLayer dense:
                    graph.Initializer.Add(Initializer($"layer{i}.weight", dense.Weights));
                    graph.Initializer.Add(Initializer($"layer{i}.bias", dense.Bias));
                    graph.Node.Add(Node("Gemm", $"gemm{i}", [current, $"layer{i}.weight", $"layer{i}.bias"], output));
                    break;
                case ReluLayer:
                    graph.Node.Add(Node("Relu", $"relu{i}", [current], output));
                    break;
                default:
                    throw new NotSupportedException($"layer {i} ({model.Layers[i].GetType().Name}) has no ONNX export");
            }
            current = output;
        }
        graph.Input.Add(ValueInfo(InputName, model.InputSize));
        graph.Output.Add(ValueInfo(OutputName, model.OutputSize));
        var proto = new ModelProto
        {
            IrVersion = 8,
            ProducerName = "veritensor-training",
            ProducerVersion = "1",
            Graph = graph,
        };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        return proto.ToByteArray();
    }

    private static TensorProto Initializer(string name, Parameter parameter)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorElementType.Float };
        tensor.Dims.AddRange(parameter.Shape.Select(d => (long)d));
        tensor.FloatData.AddRange(parameter.Value);
        return tensor;
    }

    private static NodeProto Node(string opType, string name, string[] inputs, string output)
    {
        var node = new NodeProto { OpType = opType, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        return node;
    }

    private static ValueInfoProto ValueInfo(string name, int width)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = width });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto
            {
                TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorElementType.Float, Shape = shape },
            },
        };
    }
}
