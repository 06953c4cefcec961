using System.CommandLine;
using Veritensor.Core.Crypto;
using Veritensor.Wallet;

namespace Veritensor.Cli.Commands;

/// <summary>
/// <c>veritensor wallet create|list|show|new-hotkey|regen-coldkey|regen-hotkey</c>: coldkeys and hotkeys on disk
/// under --wallet-path (see <see cref="WalletStore"/> for the layout).
/// </summary>
internal static class WalletCommands
{
    private const string MnemonicWarning =
        "IMPORTANT: write the mnemonic(s) below on paper and keep them offline. They are the only way to restore "
        + "these keys, they are shown only once, and anyone who has them controls the keys.";

    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var wallet = new Command("wallet", "Create, list and restore wallets (a coldkey and named hotkeys).");
        wallet.Subcommands.Add(CreateCommand(context));
        wallet.Subcommands.Add(ListCommand(context));
        wallet.Subcommands.Add(ShowCommand(context));
        wallet.Subcommands.Add(NewHotkeyCommand(context));
        wallet.Subcommands.Add(RegenColdkeyCommand(context));
        wallet.Subcommands.Add(RegenHotkeyCommand(context));
        return wallet;
    }

    private static Command CreateCommand(Func<ParseResult, CliContext> context)
    {
        var command = new Command(
            "create",
            "Create a wallet: an encrypted coldkey and a first hotkey, each with a new mnemonic."
        );
        var access = new WalletAccess();
        access.AddTo(command);
        var words = WordsOption();
        var overwrite = OverwriteOption();
        command.Options.Add(words);
        command.Options.Add(overwrite);
        command.SetAction(pr =>
        {
            var ctx = context(pr);
            var store = access.Store(pr);
            var name = access.WalletName(pr);
            var hotkey = access.HotkeyName(pr);
            var created = WalletAccess.Guard(() =>
                store.Create(
                    name,
                    () => WalletAccess.Passwords(ctx).ForNewColdkey(name),
                    pr.GetValue(words),
                    hotkey,
                    pr.GetValue(overwrite)
                )
            );
            if (ctx.Json)
            {
                ctx.WriteJson(
                    new
                    {
                        wallet = created.Name,
                        path = store.WalletDirectory(created.Name),
                        coldkey = new
                        {
                            address = created.Coldkey.Address.ToString(),
                            mnemonic = created.Coldkey.Mnemonic,
                        },
                        hotkey = new
                        {
                            name = created.HotkeyName,
                            address = created.Hotkey.Address.ToString(),
                            mnemonic = created.Hotkey.Mnemonic,
                        },
                        warning = MnemonicWarning,
                    }
                );
                return 0;
            }
            ctx.WriteLine($"Created wallet '{created.Name}' in {store.WalletDirectory(created.Name)}");
            ctx.WriteLine($"coldkey address:            {created.Coldkey.Address}");
            ctx.WriteLine($"hotkey '{created.HotkeyName}' address:   {created.Hotkey.Address}");
            ctx.WriteLine("");
            ctx.WriteLine(MnemonicWarning);
            ctx.WriteLine($"coldkey mnemonic:           {created.Coldkey.Mnemonic}");
            ctx.WriteLine($"hotkey '{created.HotkeyName}' mnemonic:  {created.Hotkey.Mnemonic}");
            return 0;
        });
        return command;
    }

    private static Command ListCommand(Func<ParseResult, CliContext> context)
    {
        var command = new Command("list", "List wallets with their coldkey address and hotkeys.");
        var path = CommonOptions.WalletPath();
        command.Options.Add(path);
        command.SetAction(pr =>
        {
            var ctx = context(pr);
            var store = WalletAccess.Store(pr.GetValue(path)!);
            var wallets = WalletAccess.Guard(store.List);
            if (!ctx.Json && wallets.Count == 0)
            {
                ctx.WriteLine($"(no wallets under {store.Root})");
                return 0;
            }
            ctx.WriteTable(wallets.Select(ToView).ToList(), ["wallet", "coldkey address", "hotkeys"], w =>
                [w.Name, w.ColdkeyAddress ?? "(unknown)", string.Join(", ", w.Hotkeys.Select(h => h.Name))]
            );
            return 0;
        });
        return command;
    }

    private static Command ShowCommand(Func<ParseResult, CliContext> context)
    {
        var command = new Command("show", "Show a wallet's coldkey address and the address of each hotkey.");
        var access = new WalletAccess();
        access.AddTo(command, hotkey: false);
        command.SetAction(pr =>
        {
            var ctx = context(pr);
            var store = access.Store(pr);
            var name = access.WalletName(pr);
            var view = ToView(WalletAccess.Guard(() => store.Show(name)));
            var rows = new List<(string, string)>
            {
                ("wallet", view.Name),
                ("path", view.Path),
                ("coldkey address", view.ColdkeyAddress ?? "(unknown: no coldkeypub.txt)"),
                ("coldkey", view.HasColdkey ? "present (encrypted)" : "absent"),
            };
            rows.AddRange(view.Hotkeys.Select(h => ($"hotkey '{h.Name}'", h.Address ?? "(unreadable)")));
            ctx.WriteRecord(view, rows);
            return 0;
        });
        return command;
    }

    private static Command NewHotkeyCommand(Func<ParseResult, CliContext> context)
    {
        var command = new Command("new-hotkey", "Add a hotkey with a new mnemonic to a wallet.");
        var access = new WalletAccess();
        access.AddTo(command);
        var words = WordsOption();
        var overwrite = OverwriteOption();
        command.Options.Add(words);
        command.Options.Add(overwrite);
        command.SetAction(pr =>
        {
            var ctx = context(pr);
            var store = access.Store(pr);
            var name = access.WalletName(pr);
            var hotkey = access.HotkeyName(pr);
            var key = WalletAccess.Guard(() =>
                store.NewHotkey(name, hotkey, pr.GetValue(words), pr.GetValue(overwrite))
            );
            if (ctx.Json)
            {
                ctx.WriteJson(
                    new
                    {
                        wallet = name,
                        hotkey,
                        address = key.Address.ToString(),
                        mnemonic = key.Mnemonic,
                        warning = MnemonicWarning,
                    }
                );
                return 0;
            }
            ctx.WriteLine($"Created hotkey '{hotkey}' of wallet '{name}'");
            ctx.WriteLine($"hotkey address:   {key.Address}");
            ctx.WriteLine("");
            ctx.WriteLine(MnemonicWarning);
            ctx.WriteLine($"hotkey mnemonic:  {key.Mnemonic}");
            return 0;
        });
        return command;
    }

    private static Command RegenColdkeyCommand(Func<ParseResult, CliContext> context)
    {
        var command = new Command(
            "regen-coldkey",
            "Restore a wallet's coldkey from its mnemonic or hex seed (encrypted under a new password)."
        );
        var access = new WalletAccess();
        access.AddTo(command, hotkey: false);
        var (mnemonic, seed) = SecretOptions();
        var overwrite = OverwriteOption();
        command.Options.Add(mnemonic);
        command.Options.Add(seed);
        command.Options.Add(overwrite);
        command.SetAction(pr =>
        {
            var ctx = context(pr);
            var store = access.Store(pr);
            var name = access.WalletName(pr);
            var secret = RecoverySecret(pr, mnemonic, seed);
            var address = WalletAccess.Guard(() =>
                store.RegenColdkey(
                    name,
                    secret,
                    () => WalletAccess.Passwords(ctx).ForNewColdkey(name),
                    pr.GetValue(overwrite)
                )
            );
            WriteRestored(ctx, name, "coldkey", null, address);
            return 0;
        });
        return command;
    }

    private static Command RegenHotkeyCommand(Func<ParseResult, CliContext> context)
    {
        var command = new Command("regen-hotkey", "Restore a hotkey from its mnemonic or hex seed.");
        var access = new WalletAccess();
        access.AddTo(command);
        var (mnemonic, seed) = SecretOptions();
        var overwrite = OverwriteOption();
        command.Options.Add(mnemonic);
        command.Options.Add(seed);
        command.Options.Add(overwrite);
        command.SetAction(pr =>
        {
            var ctx = context(pr);
            var store = access.Store(pr);
            var name = access.WalletName(pr);
            var hotkey = access.HotkeyName(pr);
            var secret = RecoverySecret(pr, mnemonic, seed);
            var address = WalletAccess.Guard(() => store.RegenHotkey(name, hotkey, secret, pr.GetValue(overwrite)));
            WriteRestored(ctx, name, "hotkey", hotkey, address);
            return 0;
        });
        return command;
    }

    private static void WriteRestored(CliContext ctx, string wallet, string kind, string? hotkey, Address address)
    {
        if (ctx.Json)
        {
            ctx.WriteJson(
                new
                {
                    wallet,
                    key = kind,
                    hotkey,
                    address = address.ToString(),
                }
            );
            return;
        }
        var what = hotkey is null ? kind : $"{kind} '{hotkey}'";
        ctx.WriteLine($"Restored {what} of wallet '{wallet}'");
        ctx.WriteLine($"{kind} address: {address}");
    }

    /// <summary>The text of --mnemonic or --seed; exactly one must be given.</summary>
    private static string RecoverySecret(ParseResult pr, Option<string> mnemonic, Option<string> seed)
    {
        var fromMnemonic = pr.GetValue(mnemonic);
        var fromSeed = pr.GetValue(seed);
        return (fromMnemonic, fromSeed) switch
        {
            (null, null) => throw new CliException(
                "give the key to restore with --mnemonic \"word1 word2 ...\" or --seed 0xHEX"
            ),
            ({ }, { }) => throw new CliException("give either --mnemonic or --seed, not both"),
            ({ } m, null) => WalletAccess.Guard(() => WalletMnemonic.Normalize(m)),
            (null, { } s) => WalletAccess.Guard(() =>
            {
                WalletMnemonic.ParseHexSeed(s).AsSpan().Clear();
                return s.Trim().StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? s.Trim() : "0x" + s.Trim();
            }),
        };
    }

    private static Option<int> WordsOption() =>
        new("--words")
        {
            Description = "Number of mnemonic words: 12 or 24.",
            DefaultValueFactory = _ => WalletMnemonic.DefaultWordCount,
        };

    private static Option<bool> OverwriteOption() =>
        new("--overwrite") { Description = "Replace an existing key (its old mnemonic is the only way back to it)." };

    private static (Option<string> Mnemonic, Option<string> Seed) SecretOptions() =>
        (
            new Option<string>("--mnemonic") { Description = "The BIP-39 mnemonic, quoted as one argument." },
            new Option<string>("--seed") { Description = "The 32-byte seed as 64 hex digits (0x prefix allowed)." }
        );

    private static WalletView ToView(WalletInfo info) =>
        new(
            info.Name,
            info.Path,
            info.ColdkeyAddress?.ToString(),
            info.HasColdkey,
            info.Hotkeys.Select(h => new HotkeyView(h.Name, h.Address?.ToString())).ToList()
        );

    /// <summary>JSON shape of a wallet in <c>list</c> and <c>show</c>.</summary>
    private sealed record WalletView(
        string Name,
        string Path,
        string? ColdkeyAddress,
        bool HasColdkey,
        IReadOnlyList<HotkeyView> Hotkeys
    );

    private sealed record HotkeyView(string Name, string? Address);
}
