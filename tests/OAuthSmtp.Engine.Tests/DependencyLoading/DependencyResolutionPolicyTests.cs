using System;
using System.IO;
using System.Reflection;
using OAuthSmtp.DependencyLoader;
using Xunit;

namespace OAuthSmtp.Engine.Tests.DependencyLoading;

/// <summary>
/// The Windows PowerShell 5.1 resolve rules (issue 16): only our own assemblies, matched by full identity, and
/// another module's request for another MSAL version never gets ours. Runs anywhere: the policy is plain reflection.
/// </summary>
public sealed class DependencyResolutionPolicyTests
{
    private const string MsalToken = "0a613f4dd989e8ae";
    private static readonly string ModuleDirectory = Path.Combine(Path.GetTempPath(), "OAuthSmtpPolicy", "OAuthSmtp");
    private static readonly string DependencyDirectory = Path.Combine(ModuleDirectory, "dependencies");
    private static readonly string OurMsal = Path.Combine(DependencyDirectory, "Microsoft.Identity.Client.dll");
    private static readonly string OurMemory = Path.Combine(DependencyDirectory, "System.Memory.dll");
    private static readonly string OurEngine = Path.Combine(DependencyDirectory, "OAuthSmtp.Engine.dll");

    private static readonly DependencyResolutionPolicy Policy = new(
        new[]
        {
            new DependencyFile(Name($"Microsoft.Identity.Client, Version=4.92.0.0, Culture=neutral, PublicKeyToken={MsalToken}"), OurMsal),
            new DependencyFile(Name("System.Memory, Version=4.0.1.2, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51"), OurMemory),
            new DependencyFile(Name("OAuthSmtp.Engine, Version=0.1.0.0, Culture=neutral, PublicKeyToken=null"), OurEngine),
        },
        DependencyDirectory,
        ModuleDirectory);

    private static readonly AssemblyName ExchangeModule = Name("Microsoft.Exchange.Management.ExoPowershellGalleryModule, Version=3.5.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35");
    private static readonly string ExchangeModuleLocation = Path.Combine(Path.GetTempPath(), "Modules", "ExchangeOnlineManagement", "netFramework", "Microsoft.Exchange.Management.ExoPowershellGalleryModule.dll");
    private static readonly AssemblyName Engine = Name("OAuthSmtp.Engine, Version=0.1.0.0, Culture=neutral, PublicKeyToken=null");
    private static readonly AssemblyName CmdletAssembly = Name("OAuthSmtp.PowerShell, Version=0.1.0.0, Culture=neutral, PublicKeyToken=null");

    [Fact]
    public void A_request_without_a_known_requester_gets_our_msal_only_for_our_exact_version()
    {
        Assert.Equal(OurMsal, Policy.FindPath(Msal("4.92.0.0"), requester: null, requesterLocation: null));
        Assert.Null(Policy.FindPath(Msal("4.61.3.0"), requester: null, requesterLocation: null));
        Assert.Null(Policy.FindPath(Msal("4.93.0.0"), requester: null, requesterLocation: null));
        Assert.Null(Policy.FindPath(Name("Microsoft.Identity.Client"), requester: null, requesterLocation: null));
    }

    [Fact]
    public void Another_modules_request_is_never_answered_even_for_our_exact_version()
    {
        Assert.Null(Policy.FindPath(Msal("4.61.3.0"), ExchangeModule, ExchangeModuleLocation));
        Assert.Null(Policy.FindPath(Msal("4.92.0.0"), ExchangeModule, ExchangeModuleLocation));
    }

    [Fact]
    public void Our_own_code_gets_our_copy_for_its_version_or_an_older_one_never_a_newer_one()
    {
        var fromEngine = Path.Combine(DependencyDirectory, "OAuthSmtp.Engine.dll");
        Assert.Equal(OurMsal, Policy.FindPath(Msal("4.92.0.0"), Engine, fromEngine));
        Assert.Equal(OurMemory, Policy.FindPath(Name("System.Memory, Version=4.0.1.1, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51"), Name("MailKit, Version=4.18.0.0, Culture=neutral, PublicKeyToken=4e064fe7c44a8f1b"), Path.Combine(DependencyDirectory, "MailKit.dll")));
        Assert.Null(Policy.FindPath(Msal("5.0.0.0"), Engine, fromEngine));
        Assert.Equal(OurEngine, Policy.FindPath(Engine, CmdletAssembly, Path.Combine(ModuleDirectory, "OAuthSmtp.PowerShell.dll")));
    }

    [Fact]
    public void A_requester_is_ours_by_identity_when_its_location_is_unknown()
    {
        Assert.Equal(OurMsal, Policy.FindPath(Msal("4.92.0.0"), Engine, requesterLocation: null));
        Assert.Null(Policy.FindPath(Msal("4.92.0.0"), ExchangeModule, requesterLocation: null));
    }

    [Fact]
    public void A_different_public_key_token_or_culture_is_another_assembly()
    {
        var fromEngine = Path.Combine(DependencyDirectory, "OAuthSmtp.Engine.dll");
        Assert.Null(Policy.FindPath(Name("Microsoft.Identity.Client, Version=4.92.0.0, Culture=neutral, PublicKeyToken=b03f5f7f11d50a3a"), Engine, fromEngine));
        Assert.Null(Policy.FindPath(Name("Microsoft.Identity.Client, Version=4.92.0.0, Culture=neutral, PublicKeyToken=null"), Engine, fromEngine));
        Assert.Null(Policy.FindPath(Name($"Microsoft.Identity.Client.resources, Version=4.92.0.0, Culture=de, PublicKeyToken={MsalToken}"), Engine, fromEngine));
        Assert.Null(Policy.FindPath(Name($"Microsoft.Identity.Client, Version=4.92.0.0, Culture=de, PublicKeyToken={MsalToken}"), Engine, fromEngine));
    }

    [Fact]
    public void Assemblies_that_are_not_ours_are_never_answered()
    {
        Assert.Null(Policy.FindPath(Name("Newtonsoft.Json, Version=13.0.0.0, Culture=neutral, PublicKeyToken=30ad4fe6b2a6aeed"), Engine, Path.Combine(DependencyDirectory, "OAuthSmtp.Engine.dll")));
        Assert.Null(Policy.FindPath(Name("Newtonsoft.Json, Version=13.0.0.0, Culture=neutral, PublicKeyToken=30ad4fe6b2a6aeed"), requester: null, requesterLocation: null));
    }

    [Fact]
    public void The_folder_policy_reads_the_real_identities_of_the_assemblies_we_ship()
    {
        // This test's output folder holds the MSAL the engine ships (4.92), with its real strong name.
        var folder = AppContext.BaseDirectory;
        var shipped = AssemblyName.GetAssemblyName(Path.Combine(folder, "Microsoft.Identity.Client.dll"));
        var policy = DependencyResolutionPolicy.ForFolder(folder, folder);

        Assert.Equal(Path.Combine(folder, "Microsoft.Identity.Client.dll"), policy.FindPath(shipped, requester: null, requesterLocation: null));
        var older = new AssemblyName(shipped.FullName) { Version = new System.Version(4, 61, 3, 0) };
        Assert.Null(policy.FindPath(older, requester: null, requesterLocation: null));
        Assert.Null(policy.FindPath(older, ExchangeModule, ExchangeModuleLocation));
    }

    private static AssemblyName Msal(string version) =>
        Name($"Microsoft.Identity.Client, Version={version}, Culture=neutral, PublicKeyToken={MsalToken}");

    private static AssemblyName Name(string fullName) => new(fullName);
}
