using Veritensor.Samples;
using Veritensor.Sdk;
using Veritensor.Wallet;

// Usage: verified-inference-sample [GATEWAY_URL] [NODE_URL]
// The user's key is the coldkey of wallet VERITENSOR_SAMPLE_WALLET (default alice) in VERITENSOR_WALLET_PATH, opened with
// VERITENSOR_PASSWORD: exactly what `veritensor devnet` prints, so against a devnet it runs as is.
var gateway = new Uri(args.Length > 0 ? args[0] : "http://127.0.0.1:9651");
var node = new Uri(args.Length > 1 ? args[1] : "http://127.0.0.1:9650");
var walletPath = Environment.GetEnvironmentVariable("VERITENSOR_WALLET_PATH");
var password = Environment.GetEnvironmentVariable("VERITENSOR_PASSWORD");
if (walletPath is null || password is null)
{
    Console.Error.WriteLine("Set VERITENSOR_WALLET_PATH and VERITENSOR_PASSWORD (veritensor devnet prints both).");
    return 2;
}
var wallet = Environment.GetEnvironmentVariable("VERITENSOR_SAMPLE_WALLET") ?? "alice";
try
{
    using var user = new WalletStore(walletPath).LoadColdkey(wallet, password);
    await SampleRun.RunAsync(gateway, node, user, Console.Out, CancellationToken.None);
    return 0;
}
catch (Exception e)
    when (e is WalletException or InferenceClientException or InferenceVerificationException or HttpRequestException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}
