using System.Net;
using System.Net.Sockets;

namespace Platform.Bench.Platform;

/// <summary>Free loopback ports for one platform run, so it never clashes with a developer's ./platform run or a test run.</summary>
public sealed record FreePorts(int Postgres, int RabbitMq, int Redis, int Smtp, int SmtpWeb, int Gateway)
{
    public static FreePorts Pick()
    {
        var held = new List<TcpListener>();
        try
        {
            int Next(Func<int, bool>? alsoFree = null)
            {
                while (true)
                {
                    var listener = new TcpListener(IPAddress.Loopback, 0);
                    listener.Start();
                    held.Add(listener);
                    var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                    if (alsoFree is null || alsoFree(port))
                    {
                        return port;
                    }
                }
            }

            // scripts/local/rabbitmq-env.sh puts Erlang distribution on PORT+10000 (PORT-30000 from 55000 up).
            static int Distribution(int port) => port + 10000 < 65000 ? port + 10000 : port - 30000;
            return new FreePorts(Next(), Next(port => global::Platform.Testing.FreeTcpPort.IsFree(Distribution(port))), Next(), Next(), Next(), Next());
        }
        finally
        {
            held.ForEach(listener => listener.Stop());
        }
    }
}
