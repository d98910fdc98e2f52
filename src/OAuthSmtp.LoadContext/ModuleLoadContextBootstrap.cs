using System;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace OAuthSmtp.LoadContext;

/// <summary>
/// Called by reflection from the cmdlet assembly on import. Only the engine assemblies (OAuthSmtp.*) are
/// routed from the default context into ours; from then on the engine's own references resolve inside our context.
/// </summary>
public static class ModuleLoadContextBootstrap
{
    private static readonly object Gate = new();
    private static ModuleLoadContext? _context;
    private static string _dependencyDirectory = string.Empty;
    private static bool _registered;

    public static void Register(string dependencyDirectory)
    {
        lock (Gate)
        {
            _dependencyDirectory = dependencyDirectory;
            _context ??= new ModuleLoadContext(dependencyDirectory);
            if (!_registered)
            {
                AssemblyLoadContext.Default.Resolving += ResolveEngine;
                _registered = true;
            }
        }
    }

    public static void Unregister()
    {
        lock (Gate)
        {
            if (_registered)
            {
                AssemblyLoadContext.Default.Resolving -= ResolveEngine;
                _registered = false;
            }
        }
    }

    private static Assembly? ResolveEngine(AssemblyLoadContext requester, AssemblyName assemblyName)
    {
        var name = assemblyName.Name;
        if (_context is null || name is null || !name.StartsWith("OAuthSmtp.", StringComparison.Ordinal))
        {
            return null;
        }

        var path = Path.Combine(_dependencyDirectory, name + ".dll");
        return File.Exists(path) ? _context.LoadFromAssemblyName(assemblyName) : null;
    }
}
