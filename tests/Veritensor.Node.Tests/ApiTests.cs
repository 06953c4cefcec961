using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Veritensor.Client;
using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Transactions;

namespace Veritensor.Node.Tests;

/// <summary>A real node on a loopback port, driven over HTTP.</summary>
[NetworkTest]
public sealed class ApiTests : IAsyncLifetime
{
    private TestNode _node = null!;
    private static readonly Amount Fee = new(100_000);

    public async ValueTask InitializeAsync() => _node = await TestNode.StartAsync();

    public async ValueTask DisposeAsync() => await _node.DisposeAsync();

    private SignedTransaction Transfer(KeyPair from, Address to, Amount amount, ulong nonce, Amount? fee = null) =>
        new Transaction(
            "veritensor-devnet",
            _node.GenesisHash,
            from.Address,
            nonce,
            fee ?? Fee,
            new TransferPayload(to, amount)
        ).Sign(from);

    [Fact]
    public async Task Status_reports_the_genesis_chain_and_the_validator_role()
    {
        var status = await _node.Client.GetStatusAsync(TestContext.Current.CancellationToken);
        Assert.Equal("veritensor-devnet", status.ChainId);
        Assert.Equal("0", status.Height);
        Assert.Equal(["validator"], status.Roles);
        Assert.Equal(_node.Account("validator").Hotkey.ToString(), status.Validator);
        Assert.Equal(_node.Runtime.Chain.Head.StateRoot.ToString(), status.StateRoot);
    }

    [Fact]
    public async Task Submitted_transfer_is_pending_then_included_with_a_receipt_and_moves_funds()
    {
        var ct = TestContext.Current.CancellationToken;
        using var alice = _node.Coldkey("alice");
        var bob = _node.Account("bob").Coldkey;
        var tx = Transfer(alice, bob, Amount.FromTokens(25), 0);

        var submitted = await _node.Client.SubmitAsync(tx, ct);
        Assert.Equal(tx.Id.ToString(), submitted.Id);
        Assert.Equal("pending", (await _node.Client.GetTransactionAsync(tx.Id, cancellationToken: ct)).Status);
        Assert.Equal("1", (await _node.Client.GetAccountAsync(alice.Address, ct)).NextNonce);

        var block = await _node.Client.ProduceBlockAsync(ct);
        var status = await _node.Client.GetTransactionAsync(tx.Id, cancellationToken: ct);
        Assert.Equal("included", status.Status);
        Assert.Equal(block.Height, status.Receipt!.BlockHeight);
        Assert.Equal(block.Hash, status.Receipt.BlockHash);
        Assert.Equal(0, status.Receipt.Position);
        Assert.Equal("25.000000000", status.Transaction!.Amount);

        var aliceAccount = await _node.Client.GetAccountAsync(alice.Address, ct);
        var bobAccount = await _node.Client.GetAccountAsync(bob, ct);
        // Besides the fee, alice burns the devnet's byte fee for the transaction's bytes and its state fee for what the
        // transaction added (the proposer's account, which the fee creates): the chain's total burned, all hers.
        var byteFee = Amount.ParseTokens((await _node.Client.GetStatusAsync(ct)).ByteFee);
        var burned = Amount.ParseTokens((await _node.Client.GetEmissionAsync(ct)).TotalBurned);
        Assert.True(burned >= new Amount(byteFee.BaseUnits * (ulong)tx.Size), $"burned {burned}");
        Assert.Equal(
            (Amount.FromTokens(1_000_000) - Amount.FromTokens(25) - Fee - burned).ToString(),
            aliceAccount.Balance
        );
        Assert.Equal("1", aliceAccount.Nonce);
        Assert.Equal((Amount.FromTokens(1_000_000) + Amount.FromTokens(25)).ToString(), bobAccount.Balance);
    }

    [Fact]
    public async Task Waiting_for_a_transaction_returns_once_a_block_includes_it()
    {
        var ct = TestContext.Current.CancellationToken;
        using var alice = _node.Coldkey("alice");
        var tx = Transfer(alice, _node.Account("charlie").Coldkey, Amount.FromTokens(1), 0);
        await _node.Client.SubmitAsync(tx, ct);
        var waiting = _node.Client.GetTransactionAsync(tx.Id, TimeSpan.FromSeconds(30), ct);
        Assert.False(waiting.IsCompleted);
        await _node.Client.ProduceBlockAsync(ct);
        var status = await waiting;
        Assert.Equal("included", status.Status);
    }

    [Fact]
    public async Task Blocks_are_served_by_height_hash_and_latest_with_their_state_root()
    {
        var ct = TestContext.Current.CancellationToken;
        using var alice = _node.Coldkey("alice");
        var tx = Transfer(alice, _node.Account("bob").Coldkey, Amount.FromTokens(3), 0);
        await _node.Client.SubmitAsync(tx, ct);
        var produced = await _node.Client.ProduceBlockAsync(ct);

        var byHeight = await _node.Client.GetBlockAsync(produced.Height, ct);
        var byHash = await _node.Client.GetBlockAsync(produced.Hash, ct);
        var latest = await _node.Client.GetBlockAsync("latest", ct);
        Assert.Equal(produced.Hash, byHeight.Hash);
        Assert.Equal(produced.Hash, byHash.Hash);
        Assert.Equal(produced.Hash, latest.Hash);
        Assert.Equal(_node.Runtime.Chain.Head.StateRoot.ToString(), byHeight.StateRoot);
        Assert.Equal(tx.Id.ToString(), Assert.Single(byHeight.Transactions).Id);
        var genesis = await _node.Client.GetBlockAsync("0", ct);
        Assert.Equal(genesis.Hash, byHeight.ParentHash);
    }

    [Fact]
    public async Task Replayed_transaction_is_rejected_as_duplicate_while_pending_and_after_inclusion()
    {
        var ct = TestContext.Current.CancellationToken;
        using var alice = _node.Coldkey("alice");
        var tx = Transfer(alice, _node.Account("bob").Coldkey, Amount.FromTokens(1), 0);
        await _node.Client.SubmitAsync(tx, ct);
        var pending = await Assert.ThrowsAsync<NodeClientException>(() => _node.Client.SubmitAsync(tx, ct));
        Assert.Equal("DuplicateTransaction", pending.Code);
        Assert.Equal(409, pending.StatusCode);
        await _node.Client.ProduceBlockAsync(ct);
        var included = await Assert.ThrowsAsync<NodeClientException>(() => _node.Client.SubmitAsync(tx, ct));
        Assert.Equal("DuplicateTransaction", included.Code);
        var stale = await Assert.ThrowsAsync<NodeClientException>(() =>
            _node.Client.SubmitAsync(Transfer(alice, _node.Account("bob").Coldkey, Amount.FromTokens(2), 0), ct)
        );
        Assert.Equal("NonceTooLow", stale.Code);
    }

    [Fact]
    public async Task Transaction_with_a_tampered_signature_is_rejected_and_changes_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        using var alice = _node.Coldkey("alice");
        var tx = Transfer(alice, _node.Account("bob").Coldkey, Amount.FromTokens(1), 0);
        var bytes = (byte[])tx.Encoded.Clone();
        bytes[^1] ^= 0x01;
        var error = await PostRawAsync(bytes, ct);
        Assert.Equal("InvalidSignature", error.Code);
        Assert.Equal(422, error.Status);
        Assert.Equal(0, _node.Runtime.Ledger.Mempool.Count);
        Assert.Equal("0", (await _node.Client.GetAccountAsync(alice.Address, ct)).NextNonce);
    }

    [Theory]
    [InlineData(new byte[] { 1, 2, 3 }, "MalformedEncoding", 400)]
    [InlineData(new byte[0], "MalformedEncoding", 400)]
    public async Task Malformed_bytes_are_rejected_with_a_stable_code(byte[] bytes, string code, int status)
    {
        var error = await PostRawAsync(bytes, TestContext.Current.CancellationToken);
        Assert.Equal(code, error.Code);
        Assert.Equal(status, error.Status);
    }

    [Fact]
    public async Task Unknown_transaction_type_is_rejected_by_name()
    {
        using var alice = _node.Coldkey("alice");
        var bytes = (byte[])Transfer(alice, _node.Account("bob").Coldkey, Amount.FromTokens(1), 0).Encoded.Clone();
        var kindOffset = 4 + Encoding.UTF8.GetByteCount("veritensor-devnet") + Hash256.Size;
        bytes[kindOffset] = 99;
        var error = await PostRawAsync(bytes, TestContext.Current.CancellationToken);
        Assert.Equal("UnknownTransactionType", error.Code);
    }

    [Fact]
    public async Task Insufficient_balance_and_low_fee_are_rejected_with_their_codes()
    {
        var ct = TestContext.Current.CancellationToken;
        using var alice = _node.Coldkey("alice");
        var tooMuch = await Assert.ThrowsAsync<NodeClientException>(() =>
            _node.Client.SubmitAsync(Transfer(alice, _node.Account("bob").Coldkey, Amount.FromTokens(2_000_000), 0), ct)
        );
        Assert.Equal("InsufficientBalance", tooMuch.Code);
        var cheap = await Assert.ThrowsAsync<NodeClientException>(() =>
            _node.Client.SubmitAsync(
                Transfer(alice, _node.Account("bob").Coldkey, Amount.FromTokens(1), 0, new Amount(1)),
                ct
            )
        );
        Assert.Equal("FeeTooLow", cheap.Code);
    }

    [Fact]
    public async Task Transaction_for_another_chain_is_rejected()
    {
        using var alice = _node.Coldkey("alice");
        var foreign = new Transaction(
            "other-chain",
            _node.GenesisHash,
            alice.Address,
            0,
            Fee,
            new TransferPayload(_node.Account("bob").Coldkey, Amount.FromTokens(1))
        ).Sign(alice);
        var error = await Assert.ThrowsAsync<NodeClientException>(() =>
            _node.Client.SubmitAsync(foreign, TestContext.Current.CancellationToken)
        );
        Assert.Equal("WrongChain", error.Code);
    }

    [Fact]
    public async Task A_transaction_signed_before_a_reset_of_the_same_chain_is_refused_over_the_api()
    {
        // What `devnet --reset` leaves behind: the same chain id and the same keys, but another genesis block.
        var ct = TestContext.Current.CancellationToken;
        using var alice = _node.Coldkey("alice");
        var status = await _node.Client.GetStatusAsync(ct);
        Assert.Equal(_node.GenesisHash.ToString(), status.GenesisHash);
        var earlierGenesis = Hash256.Compute("an earlier veritensor-devnet"u8);
        var replayed = new Transaction(
            status.ChainId,
            earlierGenesis,
            alice.Address,
            0,
            Fee,
            new TransferPayload(_node.Account("bob").Coldkey, Amount.FromTokens(1))
        ).Sign(alice);
        var error = await Assert.ThrowsAsync<NodeClientException>(() => _node.Client.SubmitAsync(replayed, ct));
        Assert.Equal("WrongChain", error.Code);
        Assert.Contains(earlierGenesis.ToString(), error.Message, StringComparison.Ordinal);
        var account = await _node.Client.GetAccountAsync(alice.Address, ct);
        Assert.Equal("0", account.NextNonce);
    }

    [Fact]
    public async Task Oversized_request_body_is_refused_with_413_and_a_problem()
    {
        var error = await PostRawAsync(new byte[200 * 1024], TestContext.Current.CancellationToken);
        Assert.Equal(413, error.Status);
        Assert.Equal("RequestTooLarge", error.Code);
    }

    [Fact]
    public async Task Json_submission_with_hex_is_accepted_and_bad_hex_is_rejected()
    {
        var ct = TestContext.Current.CancellationToken;
        using var alice = _node.Coldkey("alice");
        var tx = Transfer(alice, _node.Account("bob").Coldkey, Amount.FromTokens(1), 0);
        using var http = new HttpClient();
        using var ok = await http.PostAsync(
            $"{_node.Url}/v1/transactions",
            new StringContent($"{{\"raw\":\"{Convert.ToHexString(tx.Encoded)}\"}}", Encoding.UTF8, "application/json"),
            ct
        );
        Assert.Equal(HttpStatusCode.Accepted, ok.StatusCode);
        Assert.True(_node.Runtime.Ledger.Mempool.Contains(tx.Id));
        using var bad = await http.PostAsync(
            $"{_node.Url}/v1/transactions",
            new StringContent("{\"raw\":\"zz\"}", Encoding.UTF8, "application/json"),
            ct
        );
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        using var wrongType = await http.PostAsync(
            $"{_node.Url}/v1/transactions",
            new StringContent("hello", Encoding.UTF8, "text/plain"),
            ct
        );
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
    }

    [Theory]
    [InlineData("/v1/accounts/not-an-address", 400, "BadRequest")]
    [InlineData("/v1/transactions/1234", 400, "BadRequest")]
    [InlineData("/v1/transactions/0000000000000000000000000000000000000000000000000000000000000000", 404, "NotFound")]
    [InlineData("/v1/blocks/99999", 404, "NotFound")]
    [InlineData("/v1/blocks/nope", 400, "BadRequest")]
    [InlineData("/v2/status", 404, "NotFound")]
    [InlineData("/v1/subnets/1", 404, "SubnetNotFound")]
    [InlineData("/v1/subnets/1/metagraph", 404, "SubnetNotFound")]
    [InlineData("/v1/subnets/65536", 400, "BadRequest")]
    [InlineData("/v1/subnets/x/metagraph", 400, "BadRequest")]
    public async Task Bad_queries_get_problem_details_with_a_code(string path, int status, string code)
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(_node.Url + path, TestContext.Current.CancellationToken);
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(
            await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)
        );
        Assert.Equal(code, problem.RootElement.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_zero_amount_transfer_is_refused_at_submission_with_its_code()
    {
        using var alice = _node.Coldkey("alice");
        var error = await Assert.ThrowsAsync<NodeClientException>(() =>
            _node.Client.SubmitAsync(
                Transfer(alice, _node.Account("bob").Coldkey, Amount.Zero, 0),
                TestContext.Current.CancellationToken
            )
        );
        Assert.Equal("ZeroAmount", error.Code);
        Assert.Equal(422, error.StatusCode);
    }

    [Fact]
    public async Task Absent_fields_are_left_out_of_the_json_rather_than_sent_as_null()
    {
        using var http = new HttpClient();
        var body = await http.GetStringAsync(
            $"{_node.Url}/v1/accounts/{_node.Account("alice").Coldkey}",
            TestContext.Current.CancellationToken
        );
        using var json = JsonDocument.Parse(body);
        Assert.False(json.RootElement.TryGetProperty("node", out _));
        Assert.DoesNotContain("null", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stake_on_the_validator_shows_in_the_account_and_on_the_node()
    {
        var ct = TestContext.Current.CancellationToken;
        using var alice = _node.Coldkey("alice");
        var hotkey = _node.Account("validator").Hotkey;
        var stake = new Transaction(
            "veritensor-devnet",
            _node.GenesisHash,
            alice.Address,
            0,
            Fee,
            new StakePayload(TransactionKind.AddStake, hotkey, Amount.FromTokens(100))
        ).Sign(alice);
        await _node.Client.SubmitAsync(stake, ct);
        await _node.Client.ProduceBlockAsync(ct);
        var account = await _node.Client.GetAccountAsync(alice.Address, ct);
        var held = Assert.Single(account.Stakes);
        Assert.Equal(hotkey.ToString(), held.Hotkey);
        Assert.Equal("100.000000000", held.Amount);
        var node = await _node.Client.GetAccountAsync(hotkey, ct);
        Assert.Equal(["validator"], node.Node!.Roles);
        Assert.Equal("1100.000000000", node.Node.TotalStake);
    }

    private async Task<(string? Code, int Status)> PostRawAsync(byte[] bytes, CancellationToken ct)
    {
        using var http = new HttpClient();
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await http.PostAsync($"{_node.Url}/v1/transactions", content, ct);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return (problem.RootElement.GetProperty("code").GetString(), (int)response.StatusCode);
    }
}

/// <summary>Behaviour that depends on how the node was started.</summary>
[NetworkTest]
public sealed class NodeModeTests
{
    [Fact]
    public async Task A_node_with_block_production_off_refuses_transactions_it_would_never_include()
    {
        await using var node = await TestNode.StartAsync(Hosting.BlockProductionMode.Off);
        using var alice = node.Coldkey("alice");
        var tx = new Transaction(
            "veritensor-devnet",
            node.GenesisHash,
            alice.Address,
            0,
            new Amount(100_000),
            new TransferPayload(node.Account("bob").Coldkey, Amount.FromTokens(1))
        ).Sign(alice);
        var error = await Assert.ThrowsAsync<NodeClientException>(() =>
            node.Client.SubmitAsync(tx, TestContext.Current.CancellationToken)
        );
        Assert.Equal("Unavailable", error.Code);
        Assert.Equal(503, error.StatusCode);
        var produce = await Assert.ThrowsAsync<NodeClientException>(() =>
            node.Client.ProduceBlockAsync(TestContext.Current.CancellationToken)
        );
        Assert.Equal("Unavailable", produce.Code);
    }
}
