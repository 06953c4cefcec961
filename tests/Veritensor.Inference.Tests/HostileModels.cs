using Google.Protobuf;
using Onnx;

namespace Veritensor.Inference.Tests;

/// <summary>
/// Small ONNX models an attacker would publish, built in code: each does one thing <c>ModelPolicy</c> refuses. The
/// exfiltration model is the review's: a float initializer whose bytes live in an external file named by a path
/// below the node's working directory, returned as the output.
/// </summary>
public static class HostileModels
{
    /// <summary>"x" float[n] is ignored; output "w" = Identity(initializer w), whose data is the file at <paramref name="location"/>.</summary>
    public static byte[] ReadsFile(string location, int bytes = 32)
    {
        var graph = new GraphProto { Name = "exfiltrate" };
        graph.Initializer.Add(External("w", location, bytes));
        graph.Node.Add(Node("Identity", ["w"], "y"));
        return Model(graph, FloatInput("x"), FloatOutput("y"));
    }

    /// <summary>The external tensor hides in a Constant node's attribute.</summary>
    public static byte[] ReadsFileFromAttribute(string location)
    {
        var graph = new GraphProto { Name = "exfiltrate_attribute" };
        var constant = Node("Constant", [], "y");
        constant.Attribute.Add(
            new AttributeProto
            {
                Name = "value",
                Type = AttributeProto.Types.AttributeType.Tensor,
                T = External("c", location, 32),
            }
        );
        graph.Node.Add(constant);
        return Model(graph, FloatInput("x"), FloatOutput("y"));
    }

    /// <summary>The external initializer sits in the then-branch of an If.</summary>
    public static byte[] ReadsFileFromSubgraph(string location)
    {
        var branch = new GraphProto { Name = "then" };
        branch.Initializer.Add(External("w", location, 32));
        branch.Node.Add(Node("Identity", ["w"], "t"));
        branch.Output.Add(FloatOutput("t"));
        var other = new GraphProto { Name = "else" };
        other.Initializer.Add(Floats("z", 8));
        other.Node.Add(Node("Identity", ["z"], "e"));
        other.Output.Add(FloatOutput("e"));
        var graph = new GraphProto { Name = "exfiltrate_subgraph" };
        graph.Initializer.Add(
            new TensorProto
            {
                Name = "cond",
                DataType = (int)TensorProto.Types.DataType.Bool,
                Int32Data = { 1 },
            }
        );
        var branchNode = Node("If", ["cond"], "y");
        branchNode.Attribute.Add(
            new AttributeProto
            {
                Name = "then_branch",
                Type = AttributeProto.Types.AttributeType.Graph,
                G = branch,
            }
        );
        branchNode.Attribute.Add(
            new AttributeProto
            {
                Name = "else_branch",
                Type = AttributeProto.Types.AttributeType.Graph,
                G = other,
            }
        );
        graph.Node.Add(branchNode);
        return Model(graph, FloatInput("x"), FloatOutput("y"));
    }

    /// <summary>The external tensor holds the values of a sparse initializer.</summary>
    public static byte[] ReadsFileFromSparseInitializer(string location)
    {
        var graph = new GraphProto { Name = "exfiltrate_sparse" };
        var indices = new TensorProto { Name = "i", DataType = (int)TensorProto.Types.DataType.Int64 };
        indices.Dims.Add(1);
        indices.Int64Data.Add(0);
        var sparse = new SparseTensorProto { Values = External("s", location, 4), Indices = indices };
        sparse.Dims.Add(8);
        graph.SparseInitializer.Add(sparse);
        graph.Node.Add(Node("Identity", ["s"], "y"));
        return Model(graph, FloatInput("x"), FloatOutput("y"));
    }

    /// <summary>A Loop whose trip count is the caller's input: as long a run as the caller likes.</summary>
    public static byte[] LoopsForever()
    {
        var body = new GraphProto { Name = "body" };
        body.Input.Add(Scalar("i", TensorProto.Types.DataType.Int64));
        body.Input.Add(Scalar("c", TensorProto.Types.DataType.Bool));
        body.Node.Add(Node("Identity", ["c"], "c_out"));
        body.Output.Add(Scalar("c_out", TensorProto.Types.DataType.Bool));
        var graph = new GraphProto { Name = "loop" };
        graph.Initializer.Add(
            new TensorProto
            {
                Name = "cond",
                DataType = (int)TensorProto.Types.DataType.Bool,
                Int32Data = { 1 },
            }
        );
        var loop = Node("Loop", ["n", "cond"], "unused");
        loop.Output.Clear();
        loop.Attribute.Add(
            new AttributeProto
            {
                Name = "body",
                Type = AttributeProto.Types.AttributeType.Graph,
                G = body,
            }
        );
        graph.Node.Add(loop);
        graph.Node.Add(Node("Identity", ["x"], "y"));
        var n = Scalar("n", TensorProto.Types.DataType.Int64);
        return Model(graph, FloatInput("x"), FloatOutput("y"), n);
    }

    /// <summary>
    /// ConstantOfShape of the caller's shape: as much memory as the caller asks for; or, with
    /// <paramref name="shapeIsConstant"/>, of the model's own constant shape of <paramref name="elements"/> floats.
    /// </summary>
    public static byte[] AllocatesWhatTheCallerAsks(bool shapeIsConstant, long elements = 8)
    {
        var graph = new GraphProto { Name = "allocate" };
        if (shapeIsConstant)
        {
            var shape = new TensorProto { Name = "shape", DataType = (int)TensorProto.Types.DataType.Int64 };
            shape.Dims.Add(1);
            shape.Int64Data.Add(elements);
            graph.Initializer.Add(shape);
        }
        graph.Node.Add(Node("ConstantOfShape", ["shape"], "y"));
        var extra = shapeIsConstant ? [] : new[] { Vector("shape", TensorProto.Types.DataType.Int64, 1) };
        return Model(graph, FloatInput("x"), FloatOutput("y"), extra);
    }

    /// <summary>
    /// "x" float[1,<paramref name="width"/>] through <paramref name="layers"/> MatMuls by a constant square matrix:
    /// within the policy, and slow enough (about <paramref name="layers"/> × 2·width³ flops) to meet a time limit.
    /// </summary>
    public static byte[] Slow(int layers, int width)
    {
        var graph = new GraphProto { Name = "slow" };
        var weights = new TensorProto { Name = "w", DataType = (int)TensorProto.Types.DataType.Float };
        weights.Dims.Add(width);
        weights.Dims.Add(width);
        weights.FloatData.AddRange(Enumerable.Repeat(1f / width, width * width));
        graph.Initializer.Add(weights);
        var batch = new TensorProto { Name = "batch", DataType = (int)TensorProto.Types.DataType.Int64 };
        batch.Dims.Add(2);
        batch.Int64Data.Add(width);
        batch.Int64Data.Add(width);
        graph.Initializer.Add(batch);
        // Expand the row to a square so each MatMul costs width³ multiply-adds.
        graph.Node.Add(Node("Expand", ["x", "batch"], "h0"));
        for (var i = 0; i < layers; i++)
        {
            var matmul = Node("MatMul", [$"h{i}", "w"], i == layers - 1 ? "y" : $"h{i + 1}");
            matmul.Name = $"matmul{i}";
            graph.Node.Add(matmul);
        }
        var input = new TensorShapeProto();
        input.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = 1 });
        input.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = width });
        var inputInfo = new ValueInfoProto
        {
            Name = "x",
            Type = new TypeProto
            {
                TensorType = new TypeProto.Types.Tensor
                {
                    ElemType = (int)TensorProto.Types.DataType.Float,
                    Shape = input,
                },
            },
        };
        return Model(graph, inputInfo, FloatOutput("y"));
    }

    private static TensorProto External(string name, string location, int bytes)
    {
        var tensor = new TensorProto
        {
            Name = name,
            DataType = (int)TensorProto.Types.DataType.Float,
            DataLocation = TensorProto.Types.DataLocation.External,
        };
        tensor.Dims.Add(bytes / 4);
        tensor.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = location });
        tensor.ExternalData.Add(
            new StringStringEntryProto
            {
                Key = "length",
                Value = bytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }
        );
        return tensor;
    }

    private static TensorProto Floats(string name, int count)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.Add(count);
        tensor.FloatData.AddRange(Enumerable.Repeat(1f, count));
        return tensor;
    }

    private static NodeProto Node(string op, string[] inputs, string output)
    {
        var node = new NodeProto { OpType = op, Name = op.ToLowerInvariant() };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        return node;
    }

    private static ValueInfoProto FloatInput(string name) => Vector(name, TensorProto.Types.DataType.Float, 8);

    private static ValueInfoProto FloatOutput(string name)
    {
        var type = new TypeProto
        {
            TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float },
        };
        return new ValueInfoProto { Name = name, Type = type };
    }

    private static ValueInfoProto Vector(string name, TensorProto.Types.DataType elementType, int length)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = length });
        var type = new TypeProto
        {
            TensorType = new TypeProto.Types.Tensor { ElemType = (int)elementType, Shape = shape },
        };
        return new ValueInfoProto { Name = name, Type = type };
    }

    private static ValueInfoProto Scalar(string name, TensorProto.Types.DataType elementType)
    {
        var type = new TypeProto
        {
            TensorType = new TypeProto.Types.Tensor { ElemType = (int)elementType, Shape = new TensorShapeProto() },
        };
        return new ValueInfoProto { Name = name, Type = type };
    }

    private static byte[] Model(
        GraphProto graph,
        ValueInfoProto input,
        ValueInfoProto output,
        params ValueInfoProto[] extraInputs
    )
    {
        graph.Input.Add(input);
        graph.Input.AddRange(extraInputs);
        graph.Output.Add(output);
        var model = new ModelProto { IrVersion = 8, Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        return model.ToByteArray();
    }
}
