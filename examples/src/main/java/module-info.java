/**
 * jdgram's examples as a named module: what a modular application writes to use jdgram. Built this
 * way (the default), a jdgram jar without a module descriptor, without {@code exports dev.jdgram},
 * or with a package that splits one of ours fails the build. An application exports nothing; a
 * library whose own API shows jdgram's types would say {@code requires transitive}.
 */
module dev.jdgram.examples {
  requires dev.jdgram;
}
