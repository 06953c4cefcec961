using Veritensor.Core.Encoding;

namespace Veritensor.Ledger.Transactions;

/// <summary>The canonical form of a list of u16 (weights uids and values): a u16 count, then each value.</summary>
internal static class U16List
{
    /// <summary>More entries than any subnet has uids cannot be meaningful.</summary>
    public const int MaxCount = Subnets.SubnetHyperparameters.MaxMaxAllowedUids;

    public static CanonicalWriter Write(CanonicalWriter writer, IReadOnlyList<ushort> values)
    {
        writer.WriteU16(checked((ushort)values.Count));
        foreach (var value in values)
            writer.WriteU16(value);
        return writer;
    }

    public static ushort[] Read(ref CanonicalReader reader, string field)
    {
        var count = reader.ReadU16(field);
        if (count > MaxCount)
            throw new CanonicalEncodingException($"{field} has {count} entries; at most {MaxCount} are allowed.");
        var values = new ushort[count];
        for (var i = 0; i < count; i++)
            values[i] = reader.ReadU16(field);
        return values;
    }
}
