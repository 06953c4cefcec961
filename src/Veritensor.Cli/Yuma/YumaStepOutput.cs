using System.Text;
using System.Text.Json;
using Veritensor.Consensus;

namespace Veritensor.Cli.Yuma;

/// <summary>What <c>yuma replay</c> prints for one step (tests/data/yuma/README.md), lists indexed by uid.</summary>
internal sealed record YumaStepOutput(string Case, int Step, ulong Block, EpochResult Result)
{
    /// <summary>One compact JSON line with the documented keys in the documented order; empty bond rows are left out.</summary>
    public string ToJsonLine()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("case", Case);
            w.WriteNumber("step", Step);
            w.WriteNumber("block", Block);
            WriteList(w, "dividends_u16", Result.DividendsU16);
            WriteList(w, "incentive_u16", Result.IncentiveU16);
            WriteList(w, "consensus_u16", Result.ConsensusU16);
            WriteList(w, "validator_trust_u16", Result.ValidatorTrustU16);
            WriteList(w, "emission", Result.Emission);
            WriteList(w, "server_emission", Result.ServerEmission);
            WriteList(w, "validator_emission", Result.ValidatorEmission);
            w.WriteStartArray("new_validator_permit");
            foreach (var permit in Result.NewValidatorPermit)
                w.WriteBooleanValue(permit);
            w.WriteEndArray();
            w.WriteStartObject("bonds_u16_after");
            for (var i = 0; i < Result.Bonds.Length; i++)
            {
                if (Result.Bonds[i].Length == 0)
                    continue;
                w.WriteStartArray(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                foreach (var entry in Result.Bonds[i].OrderBy(e => e.Column))
                {
                    w.WriteStartArray();
                    w.WriteNumberValue(entry.Column);
                    w.WriteNumberValue(entry.Value);
                    w.WriteEndArray();
                }
                w.WriteEndArray();
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteList(Utf8JsonWriter w, string name, ushort[] values)
    {
        w.WriteStartArray(name);
        foreach (var value in values)
            w.WriteNumberValue(value);
        w.WriteEndArray();
    }

    private static void WriteList(Utf8JsonWriter w, string name, ulong[] values)
    {
        w.WriteStartArray(name);
        foreach (var value in values)
            w.WriteNumberValue(value);
        w.WriteEndArray();
    }
}
