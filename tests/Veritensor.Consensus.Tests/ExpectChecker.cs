using System.Globalization;
using System.Text.Json;

namespace Veritensor.Consensus.Tests;

/// <summary>
/// Compares one printed replay line with a step's <c>expect</c> (what subtensor's test asserts, see the file's
/// <c>conventions.expect_keys</c>) and its <c>derived_by_reference_model</c> (every output, exact). Returns the
/// number of values compared so a test can prove it compared something.
/// </summary>
internal static class ExpectChecker
{
    private static readonly string[] ListKeys =
    [
        "dividends_u16",
        "incentive_u16",
        "consensus_u16",
        "validator_trust_u16",
        "emission",
        "server_emission",
        "validator_emission",
    ];

    /// <summary>Keys that annotate an expectation rather than assert one.</summary>
    private static readonly string[] AnnotationKeys =
    [
        "tolerance_abs",
        "compare_as",
        "bond_targets_listed_but_not_asserted",
    ];

    public static int CheckExpect(JsonElement output, JsonElement expect, string where)
    {
        var compared = 0;
        foreach (var property in expect.EnumerateObject())
        {
            var key = property.Name;
            var value = property.Value;
            var at = $"{where} expect.{key}";
            if (ListKeys.Contains(key))
            {
                var actual = output.GetProperty(key);
                if (value.ValueKind == JsonValueKind.Array)
                {
                    Assert.True(
                        value.GetArrayLength() == actual.GetArrayLength(),
                        $"{at}: length {actual.GetArrayLength()}, expected {value.GetArrayLength()}"
                    );
                    for (var i = 0; i < value.GetArrayLength(); i++, compared++)
                        Assert.True(
                            value[i].GetUInt64() == actual[i].GetUInt64(),
                            $"{at}[{i}]: got {actual[i]}, expected {value[i]}"
                        );
                }
                else
                {
                    foreach (var uid in value.EnumerateObject())
                    {
                        var i = int.Parse(uid.Name, CultureInfo.InvariantCulture);
                        Assert.True(
                            uid.Value.GetUInt64() == actual[i].GetUInt64(),
                            $"{at}[{i}]: got {actual[i]}, expected {uid.Value}"
                        );
                        compared++;
                    }
                }
            }
            else if (key is "rank_u16" or "trust_u16")
            {
                // Rank and trust are no longer computed (removed Oct 2025) and read as 0.
                foreach (var v in value.EnumerateArray())
                {
                    Assert.True(v.GetUInt64() == 0, $"{at}: expected only zeros, the epoch no longer computes {key}");
                    compared++;
                }
            }
            else if (key == "bonds_u16")
            {
                if (value.TryGetProperty("column", out var column))
                {
                    var j = column.GetInt32();
                    var rows = value.GetProperty("rows_0_to_3");
                    for (var i = 0; i < rows.GetArrayLength(); i++, compared++)
                        Assert.True(
                            rows[i].GetUInt16() == Bond(output, i, j),
                            $"{at}: bond ({i},{j}) got {Bond(output, i, j)}, expected {rows[i]}"
                        );
                }
                else
                {
                    foreach (var pair in value.EnumerateObject())
                    {
                        var parts = pair.Name.Split(',');
                        int i = int.Parse(parts[0], CultureInfo.InvariantCulture),
                            j = int.Parse(parts[1], CultureInfo.InvariantCulture);
                        Assert.True(
                            pair.Value.GetUInt16() == Bond(output, i, j),
                            $"{at}: bond ({i},{j}) got {Bond(output, i, j)}, expected {pair.Value}"
                        );
                        compared++;
                    }
                }
            }
            else if (key == "dividends_fraction")
            {
                var tolerance = Fixed.Decimal(expect.GetProperty("tolerance_abs"));
                var actual = output.GetProperty("dividends_u16");
                for (var i = 0; i < value.GetArrayLength(); i++, compared++)
                {
                    var fraction = Fixed.ToDecimal(I32F32.FromU16Proportion(actual[i].GetUInt16()));
                    Assert.True(
                        Math.Abs(fraction - Fixed.Decimal(value[i])) <= tolerance,
                        $"{at}[{i}]: got {fraction}, expected {value[i]} ± {tolerance}"
                    );
                }
            }
            else
            {
                Assert.True(
                    AnnotationKeys.Contains(key),
                    $"{at}: unknown expect key; the checker must learn it before this case can pass"
                );
            }
        }
        return compared;
    }

    public static int CheckDerived(JsonElement output, JsonElement derived, string where)
    {
        var compared = 0;
        foreach (var property in derived.EnumerateObject())
        {
            var at = $"{where} derived_by_reference_model.{property.Name}";
            Assert.True(output.TryGetProperty(property.Name, out var actual), $"{at}: missing from the output");
            if (property.Name == "bonds_u16_after")
                Assert.True(
                    Canonical(property.Value) == Canonical(actual),
                    $"{at}: got {actual}, expected {property.Value}"
                );
            else
                Assert.True(
                    JsonSerializer.Serialize(property.Value) == JsonSerializer.Serialize(actual),
                    $"{at}: got {JsonSerializer.Serialize(actual)}, expected {JsonSerializer.Serialize(property.Value)}"
                );
            compared++;
        }
        return compared;
    }

    /// <summary>Bond rows as sorted text, empty rows dropped (they "may be left out").</summary>
    private static string Canonical(JsonElement rows) =>
        string.Join(
            ";",
            rows.EnumerateObject()
                .Where(r => r.Value.GetArrayLength() > 0)
                .OrderBy(r => int.Parse(r.Name, CultureInfo.InvariantCulture))
                .Select(r =>
                    r.Name
                    + ":"
                    + string.Join(
                        ",",
                        r.Value.EnumerateArray().Select(p => $"{p[0]}={p[1]}").Order(StringComparer.Ordinal)
                    )
                )
        );

    private static ushort Bond(JsonElement output, int row, int column)
    {
        if (
            !output
                .GetProperty("bonds_u16_after")
                .TryGetProperty(row.ToString(CultureInfo.InvariantCulture), out var entries)
        )
            return 0;
        foreach (var pair in entries.EnumerateArray())
            if (pair[0].GetInt32() == column)
                return pair[1].GetUInt16();
        return 0;
    }
}
