namespace Veritensor.Training;

/// <summary>Labelled rows for a classifier: <see cref="Inputs"/> holds <see cref="Count"/> rows of <see cref="Features"/> values.</summary>
public sealed record DataSet(float[] Inputs, int[] Labels, int Features, int Classes)
{
    public int Count => Labels.Length;

    /// <summary>Rows [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>): a fixed split.</summary>
    public DataSet Slice(int start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (start + count > Count)
            throw new ArgumentOutOfRangeException(
                nameof(count),
                $"rows {start}..{start + count} are beyond the {Count} rows"
            );
        return new DataSet(
            Inputs.AsSpan(start * Features, count * Features).ToArray(),
            Labels.AsSpan(start, count).ToArray(),
            Features,
            Classes
        );
    }
}
