using System.Text.Json;
using Veritensor.Consensus;
using static Veritensor.Cli.Yuma.JsonFields;

namespace Veritensor.Cli.Yuma;

/// <summary>Reads the <c>epoch_sequence</c> cases of a <c>veritensor.yuma-vectors/1</c> file (tests/data/yuma/README.md); other kinds are skipped.</summary>
internal static class YumaCaseReader
{
    public const string Format = "veritensor.yuma-vectors/1";

    public static IReadOnlyList<YumaCase> Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new YumaFormatException($"not valid JSON: {e.Message}", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (
                Optional(root, "format") is { } format
                && format.ValueKind == JsonValueKind.String
                && format.GetString() != Format
            )
                throw new YumaFormatException($"$.format: expected \"{Format}\", got \"{format.GetString()}\"");
            var cases = new List<YumaCase>();
            var index = 0;
            foreach (var item in Array(root, "cases", "$").EnumerateArray())
            {
                var path = $"$.cases[{index++}]";
                var kind = String(item, "kind", path);
                if (kind == "epoch_sequence")
                    cases.Add(ReadCase(item, path));
                else if (kind != "helper_group")
                    throw new YumaFormatException(
                        $"{path}.kind: unknown kind \"{kind}\" (expected epoch_sequence or helper_group)"
                    );
            }
            return cases;
        }
    }

    private static YumaCase ReadCase(JsonElement item, string path)
    {
        var name = String(item, "name", path);
        path = $"{path} (case \"{name}\")";
        var parameters = ReadParameters(Required(item, "hyperparameters", path), $"{path}.hyperparameters");
        var initial = ReadInitial(Required(item, "initial_state", path), $"{path}.initial_state");
        var steps = List(item, "steps", path, (step, stepPath) => ReadStep(step, stepPath, initial.N));
        if (parameters.OwnerUid is { } owner && owner >= initial.N)
            throw new YumaFormatException(
                $"{path}.hyperparameters.owner_uid: {owner} is not a uid below n = {initial.N}"
            );
        return new YumaCase(name, parameters, initial, steps);
    }

    private static EpochHyperparameters ReadParameters(JsonElement h, string path)
    {
        var tempo = UInt64(h, "tempo", path);
        ulong cutoff;
        if (Optional(h, "activity_cutoff_blocks") is { } blocks)
        {
            cutoff = UInt64(blocks, $"{path}.activity_cutoff_blocks");
        }
        else
        {
            // max(floor(factor · tempo / 1000), 1) in exact integer arithmetic.
            var factor = UInt64(h, "activity_cutoff_factor_milli", path);
            var product = (UInt128)factor * tempo / 1000;
            cutoff = product > ulong.MaxValue ? ulong.MaxValue : Math.Max((ulong)product, 1);
        }
        int? owner = null;
        if (Optional(h, "owner_uid") is not null)
            owner = Int32(h, "owner_uid", path);
        var maxValidators = UInt64(h, "max_allowed_validators", path);
        if (maxValidators > ushort.MaxValue)
            throw new YumaFormatException($"{path}.max_allowed_validators: {maxValidators} is above 65535");
        if (Decimal(h, "tao_weight", path) < 0)
            throw new YumaFormatException($"{path}.tao_weight: must not be negative");
        // commit_reveal is read for validation; the format carries no commit blocks, so no commit-reveal column mask applies.
        _ = Boolean(h, "commit_reveal", path);
        return new EpochHyperparameters(
            Tempo: tempo,
            ActivityCutoff: cutoff,
            Kappa: UInt16(h, "kappa_u16", path),
            BondsPenalty: UInt16(h, "bonds_penalty_u16", path),
            BondsMovingAverage: UInt64(h, "bonds_moving_average", path),
            MaxAllowedValidators: (int)maxValidators,
            Yuma3: Boolean(h, "yuma3", path),
            LiquidAlpha: Boolean(h, "liquid_alpha", path),
            AlphaLow: UInt16(h, "alpha_low_u16", path),
            AlphaHigh: UInt16(h, "alpha_high_u16", path),
            AlphaSigmoidSteepness: Int16(h, "alpha_sigmoid_steepness", path),
            StakeThreshold: UInt64(h, "stake_threshold", path),
            LastMechanismStepBlock: UInt64(h, "last_mechanism_step_block", path),
            OwnerUid: owner
        );
    }

    private static YumaInitialState ReadInitial(JsonElement s, string path)
    {
        var n = Int32(s, "n", path);
        if (n > ushort.MaxValue + 1)
            throw new YumaFormatException($"{path}.n: {n} uids do not fit u16 uids");
        T[] PerUid<T>(string name, Func<JsonElement, string, T> read)
        {
            var values = List(s, name, path, read);
            if (values.Length != n)
                throw new YumaFormatException($"{path}.{name}: has {values.Length} entries, expected n = {n}");
            return values;
        }
        return new YumaInitialState(
            n,
            UInt64(s, "block", path),
            PerUid("stake_alpha_rao", UInt64),
            PerUid("block_at_registration", UInt64),
            PerUid("last_update", UInt64),
            PerUid("validator_permit", Bool),
            ReadRows(Required(s, "weights", path), $"{path}.weights", n),
            ReadRows(Required(s, "bonds", path), $"{path}.bonds", n)
        );
    }

    /// <summary>Sparse rows keyed by uid: <c>{"UID": [[UID, U16], ...]}</c>.</summary>
    public static U16Entry[][] ReadRows(JsonElement rows, string path, int n)
    {
        if (rows.ValueKind != JsonValueKind.Object)
            throw new YumaFormatException($"{path}: expected an object of rows keyed by uid");
        var result = new U16Entry[n][];
        for (var i = 0; i < n; i++)
            result[i] = [];
        foreach (var row in rows.EnumerateObject())
        {
            var rowPath = $"{path}.\"{row.Name}\"";
            if (!int.TryParse(row.Name, out var uid) || uid < 0 || uid >= n)
                throw new YumaFormatException($"{rowPath}: row key must be a uid below n = {n}");
            if (row.Value.ValueKind != JsonValueKind.Array)
                throw new YumaFormatException($"{rowPath}: expected a list of [uid, u16] pairs");
            var entries = new List<U16Entry>();
            var k = 0;
            foreach (var pair in row.Value.EnumerateArray())
            {
                var pairPath = $"{rowPath}[{k++}]";
                if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2)
                    throw new YumaFormatException($"{pairPath}: expected [uid, u16]");
                // A stored entry may point past n (the chain keeps such rows; the epoch ignores entries j >= n).
                var column = UInt16(pair[0], $"{pairPath}[0]");
                entries.Add(new U16Entry(column, UInt16(pair[1], $"{pairPath}[1]")));
            }
            result[uid] = [.. entries];
        }
        return result;
    }

    private static YumaStep ReadStep(JsonElement step, string path, int n)
    {
        var block = UInt64(step, "block", path);
        var actions = Optional(step, "actions") is null
            ? []
            : List(step, "actions", path, (a, p) => ReadAction(a, p, n));
        var rao = UInt64(Required(step, "run_epoch", path), "rao_emission", $"{path}.run_epoch");
        return new YumaStep(
            block,
            actions,
            rao,
            Optional(step, "expect")?.Clone(),
            Optional(step, "derived_by_reference_model")?.Clone()
        );
    }

    private static YumaAction ReadAction(JsonElement action, string path, int n)
    {
        var op = String(action, "op", path);
        int Uid(string name)
        {
            var uid = Int32(action, name, path);
            return uid < n ? uid : throw new YumaFormatException($"{path}.{name}: uid {uid} is not below n = {n}");
        }
        ulong? At() => Optional(action, "at_block") is { } at ? UInt64(at, $"{path}.at_block") : null;
        switch (op)
        {
            case "set_weights":
                var uids = List(action, "uids", path, (e, p) => (int)UInt16(e, p));
                foreach (var target in uids)
                    if (target >= n)
                        throw new YumaFormatException($"{path}.uids: uid {target} is not below n = {n}");
                var submitted = List(action, "values_submitted", path, UInt16);
                var stored = List(action, "stored_u16", path, UInt16);
                if (submitted.Length != uids.Length || stored.Length != uids.Length)
                    throw new YumaFormatException(
                        $"{path}: uids, values_submitted and stored_u16 must have the same length ({uids.Length}, {submitted.Length}, {stored.Length})"
                    );
                return new SetWeightsAction(path, Uid("uid"), uids, submitted, stored, At());
            case "replace_neuron":
                return new ReplaceNeuronAction(
                    path,
                    Uid("uid"),
                    UInt64(action, "new_stake", path),
                    UInt64(action, "at_block", path)
                );
            case "reset_bond_column":
                return new ResetBondColumnAction(path, Uid("uid"), At());
            default:
                throw new YumaFormatException(
                    $"{path}.op: unknown action \"{op}\" (expected set_weights, replace_neuron or reset_bond_column)"
                );
        }
    }
}
