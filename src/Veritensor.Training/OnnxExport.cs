using Google.Protobuf;
using Onnx;
using Veritensor.Tensors;

namespace Veritensor.Training;

/// <summary>
/// Writes a trained <see cref="Sequential"/> model as ONNX (opset 13, IR version 8): each dense layer a Gemm and each
/// convolution a Conv, with its weights as initializers (stored inline, never as external data); ReLU a Relu, max
/// pooling a MaxPool, flatten a Flatten. The input is float32[batch, inputs], or [batch, channels, height, width] when
/// the model starts with a convolution or pooling; the output is the logits, float32[batch, classes]. The same model
/// gives the same bytes.
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
        // Whether the tensor flowing between layers is an image [batch, channels, height, width] or a matrix.
        var image = model.Layers[0] is Conv2DLayer or MaxPoolLayer;
        for (var i = 0; i < model.Layers.Count; i++)
        {
            var output = i == model.Layers.Count - 1 ? OutputName : $"layer{i}";
            switch (model.Layers[i])
            {
                case DenseLayer when image:
                    throw new NotSupportedException(
                        $"layer {i} is dense but its input is an image: put a flatten layer before it"
                    );
                case Conv2DLayer or MaxPoolLayer when !image:
                    throw new NotSupportedException(
                        $"layer {i} needs an image input, but the layer before it gives a vector"
                    );
                case Conv2DLayer conv:
                    graph.Initializer.Add(Initializer($"layer{i}.weight", conv.Weights));
                    graph.Initializer.Add(Initializer($"layer{i}.bias", conv.Bias));
                    var convolution = Node("Conv", $"conv{i}", [current, $"layer{i}.weight", $"layer{i}.bias"], output);
                    convolution.Attribute.Add(Ints("kernel_shape", conv.Kernel, conv.Kernel));
                    convolution.Attribute.Add(Ints("pads", conv.Padding, conv.Padding, conv.Padding, conv.Padding));
                    convolution.Attribute.Add(Ints("strides", 1, 1));
                    graph.Node.Add(convolution);
                    break;
                case MaxPoolLayer pool:
                    var pooling = Node("MaxPool", $"maxpool{i}", [current], output);
                    pooling.Attribute.Add(Ints("kernel_shape", pool.Size, pool.Size));
                    pooling.Attribute.Add(Ints("strides", pool.Size, pool.Size));
                    graph.Node.Add(pooling);
                    break;
                case FlattenLayer:
                    var flatten = Node("Flatten", $"flatten{i}", [current], output);
                    flatten.Attribute.Add(
                        new AttributeProto
                        {
                            Name = "axis",
                            Type = AttributeProto.Types.AttributeType.Int,
                            I = 1,
                        }
                    );
                    graph.Node.Add(flatten);
                    image = false;
                    break;
                case DenseLayer dense:
                    graph.Initializer.Add(Initializer($"layer{i}.weight", dense.Weights));
                    graph.Initializer.Add(Initializer($"layer{i}.bias", dense.Bias));
                    var gemm = Node("Gemm", $"gemm{i}", [current, $"layer{i}.weight", $"layer{i}.bias"], output);
                    // The weights are [outputs, inputs], as PyTorch's Linear keeps them.
                    gemm.Attribute.Add(
                        new AttributeProto
                        {
                            Name = "transB",
                            Type = AttributeProto.Types.AttributeType.Int,
                            I = 1,
                        }
                    );
                    graph.Node.Add(gemm);
                    break;
                case ReluLayer:
                    graph.Node.Add(Node("Relu", $"relu{i}", [current], output));
                    break;
                default:
                    throw new NotSupportedException($"layer {i} ({model.Layers[i].GetType().Name}) has no ONNX export");
            }
            current = output;
        }
        graph.Input.Add(
            model.Layers[0] switch
            {
                Conv2DLayer conv => ValueInfo(InputName, conv.Channels, conv.Height, conv.Width),
                MaxPoolLayer pool => ValueInfo(InputName, pool.Channels, pool.Height, pool.Width),
                _ => ValueInfo(InputName, model.InputSize),
            }
        );
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

    private static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    private static ValueInfoProto ValueInfo(string name, params int[] dims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        foreach (var dim in dims)
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = dim });
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
