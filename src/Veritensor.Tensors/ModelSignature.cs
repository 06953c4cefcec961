using Veritensor.Core.Encoding;

namespace Veritensor.Tensors;

/// <summary>A model's inputs and outputs, as registered on the ledger and checked by gateways before any execution.</summary>
public sealed record ModelSignature(IReadOnlyList<TensorSpec> Inputs, IReadOnlyList<TensorSpec> Outputs)
{
    public const int MaxTensors = 64;

    public bool Equals(ModelSignature? other) =>
        other is not null && Inputs.SequenceEqual(other.Inputs) && Outputs.SequenceEqual(other.Outputs);

    public override int GetHashCode() => HashCode.Combine(Inputs.Count, Outputs.Count);

    public void Write(CanonicalWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        WriteList(writer, Inputs);
        WriteList(writer, Outputs);
    }

    public static ModelSignature Read(ref CanonicalReader reader) =>
        new(ReadList(ref reader, "inputs"), ReadList(ref reader, "outputs"));

    /// <summary>Null when valid, else what is wrong.</summary>
    public string? Problem()
    {
        if (Inputs.Count == 0)
            return "a model needs at least one input";
        if (Outputs.Count == 0)
            return "a model needs at least one output";
        if (Inputs.Count > MaxTensors || Outputs.Count > MaxTensors)
            return $"a model may have at most {MaxTensors} inputs and {MaxTensors} outputs";
        foreach (var spec in Inputs.Concat(Outputs))
        {
            if (spec.Problem() is { } problem)
                return problem;
        }
        if (Inputs.Select(i => i.Name).Distinct(StringComparer.Ordinal).Count() != Inputs.Count)
            return "input names are not unique";
        if (Outputs.Select(o => o.Name).Distinct(StringComparer.Ordinal).Count() != Outputs.Count)
            return "output names are not unique";
        return null;
    }

    private static void WriteList(CanonicalWriter writer, IReadOnlyList<TensorSpec> specs)
    {
        writer.WriteU8(checked((byte)specs.Count));
        foreach (var spec in specs)
            spec.Write(writer);
    }

    private static TensorSpec[] ReadList(ref CanonicalReader reader, string field)
    {
        var count = reader.ReadU8(field);
        if (count > MaxTensors)
            throw new CanonicalEncodingException($"{field} has {count} tensors; at most {MaxTensors} are allowed.");
        var specs = new TensorSpec[count];
        for (var i = 0; i < count; i++)
            specs[i] = TensorSpec.Read(ref reader, field);
        return specs;
    }
}
