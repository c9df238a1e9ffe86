# workerd configuration for test/edge/workerd.test.ts (and bench/edge-workerd.ts).
# The test copies this file next to the bundles it makes (worker.js,
# puretls.js) and the PEM files it writes (ca.pem, other-ca.pem), then runs
#   workerd serve config.capnp --control-fd 3
# with CLIENT_CERT and CLIENT_KEY in the environment: the secrets.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "right-ca", worker = .rightCa),
    (name = "wrong-ca", worker = .wrongCa),
    # connect() to 127.0.0.1 needs "local": the default network allows public addresses only.
    (name = "loopback", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [
    (name = "right-ca", address = "127.0.0.1:0", http = (), service = "right-ca"),
    (name = "wrong-ca", address = "127.0.0.1:0", http = (), service = "wrong-ca"),
  ],
);

const rightCa :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
    (name = "puretls.js", esModule = embed "puretls.js"),
  ],
  compatibilityDate = "2025-09-01",
  globalOutbound = "loopback",
  bindings = [
    (name = "CA_PEM", text = embed "ca.pem"),
    (name = "CLIENT_CERT", fromEnvironment = "CLIENT_CERT"),
    (name = "CLIENT_KEY", fromEnvironment = "CLIENT_KEY"),
  ],
);

const wrongCa :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
    (name = "puretls.js", esModule = embed "puretls.js"),
  ],
  compatibilityDate = "2025-09-01",
  globalOutbound = "loopback",
  bindings = [
    (name = "CA_PEM", text = embed "other-ca.pem"),
    (name = "CLIENT_CERT", fromEnvironment = "CLIENT_CERT"),
    (name = "CLIENT_KEY", fromEnvironment = "CLIENT_KEY"),
  ],
);
