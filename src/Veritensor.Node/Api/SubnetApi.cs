using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Veritensor.Client;
using Veritensor.Core;
using Veritensor.Ledger;
using Veritensor.Ledger.State;
using Veritensor.Node.Hosting;

namespace Veritensor.Node.Api;

/// <summary>GET /v1/subnets, /v1/subnets/{netuid}, /v1/subnets/{netuid}/metagraph and /v1/emission, each read from one state snapshot.</summary>
internal static class SubnetApi
{
    public static void Map(RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        v1.MapGet("/subnets", ListSubnets);
        v1.MapGet("/subnets/{netuid}", GetSubnet);
        v1.MapGet("/subnets/{netuid}/metagraph", GetMetagraph);
        v1.MapGet("/emission", GetEmission);
    }

    private static IResult GetEmission(NodeRuntime node)
    {
        var nextHeight = node.Chain.Head.Height + 1;
        using var snapshot = node.Chain.Store.OpenStateSnapshot();
        var rules = snapshot.GetSubnetParameters();
        var issuance = snapshot.GetTotalIssuance();
        var pending = snapshot
            .GetNetuids()
            .Aggregate(Amount.Zero, (sum, netuid) => sum + snapshot.GetSubnetEmission(netuid).Pending);
        // Nothing accrues while no subnet exists; otherwise the next block accrues the clipped scheduled amount.
        var next = snapshot.GetNetuids().Any() ? rules.Emission.At(nextHeight, issuance + pending) : Amount.Zero;
        return Results.Ok(
            new EmissionResponse(
                rules.Emission.InitialBlockEmission.ToString(),
                rules.Emission.HalvingInterval.ToString(CultureInfo.InvariantCulture),
                rules.Emission.MaxIssuance.ToString(),
                next.ToString(),
                rules.LockCost.ToString(),
                rules.MinTempo,
                issuance.ToString(),
                pending.ToString(),
                snapshot.GetTotalMinted().ToString(),
                snapshot.GetTotalBurned().ToString()
            )
        );
    }

    private static IResult ListSubnets(NodeRuntime node)
    {
        var nextHeight = node.Chain.Head.Height + 1;
        using var snapshot = node.Chain.Store.OpenStateSnapshot();
        var subnets = snapshot
            .GetNetuids()
            .Select(netuid => (netuid, subnet: snapshot.GetSubnet(netuid)!))
            .Select(s => new SubnetSummaryView(
                s.netuid,
                s.subnet.Owner.ToString(),
                s.subnet.N,
                s.subnet.Hyperparameters.MaxAllowedUids,
                s.subnet.Hyperparameters.Tempo,
                s.subnet.BurnAt(nextHeight).ToString(),
                s.subnet.Locked.ToString()
            ))
            .ToList();
        return Results.Ok(new SubnetListResponse(subnets));
    }

    private static IResult GetSubnet(string netuid, NodeRuntime node)
    {
        if (!TryParseNetuid(netuid, out var id, out var problem))
            return problem;
        var nextHeight = node.Chain.Head.Height + 1;
        using var snapshot = node.Chain.Store.OpenStateSnapshot();
        return snapshot.GetSubnet(id) is { } subnet
            ? Results.Ok(SubnetViews.Subnet(id, subnet, snapshot.GetSubnetEmission(id), nextHeight))
            : Problems.From(ErrorCode.SubnetNotFound, $"There is no subnet {id}.");
    }

    private static IResult GetMetagraph(string netuid, bool? weights, bool? bonds, NodeRuntime node)
    {
        if (!TryParseNetuid(netuid, out var id, out var problem))
            return problem;
        // The snapshot and the head may be a block apart if one commits in between; the head only dates the view.
        var height = node.Chain.Head.Height;
        using var snapshot = node.Chain.Store.OpenStateSnapshot();
        if (snapshot.GetSubnet(id) is not { } subnet)
            return Problems.From(ErrorCode.SubnetNotFound, $"There is no subnet {id}.");
        var cutoff = subnet.Hyperparameters.ActivityCutoff;
        var neurons = new List<NeuronView>(subnet.N);
        for (ushort uid = 0; uid < subnet.N; uid++)
        {
            var n = snapshot.GetNeuron(id, uid)!;
            var endpoint = snapshot.GetNode(n.Hotkey)?.Endpoint;
            var row =
                weights == true
                    ? snapshot.GetWeights(id, uid).Select(w => new WeightView(w.Uid, w.Value)).ToList()
                    : null;
            var bondRow =
                bonds == true ? snapshot.GetBonds(id, uid).Select(b => new WeightView(b.Uid, b.Value)).ToList() : null;
            neurons.Add(
                new NeuronView(
                    uid,
                    n.Hotkey.ToString(),
                    n.Coldkey.ToString(),
                    snapshot.GetHotkeyStake(n.Hotkey).ToString(),
                    n.Consensus,
                    n.Incentive,
                    n.Dividends,
                    n.Emission.ToString(),
                    n.ValidatorTrust,
                    n.ValidatorPermit,
                    height - Math.Min(height, n.LastUpdate) <= cutoff,
                    n.LastUpdate.ToString(CultureInfo.InvariantCulture),
                    n.RegisteredAt.ToString(CultureInfo.InvariantCulture),
                    string.IsNullOrEmpty(endpoint) ? null : endpoint,
                    row,
                    bondRow
                )
            );
        }
        return Results.Ok(new MetagraphResponse(id, height.ToString(CultureInfo.InvariantCulture), subnet.N, neurons));
    }

    private static bool TryParseNetuid(string text, out ushort netuid, out IResult problem)
    {
        problem = Results.Empty;
        if (ushort.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out netuid))
            return true;
        problem = Problems.From(ErrorCode.BadRequest, $"'{text}' is not a netuid (0 to 65535).");
        return false;
    }
}
