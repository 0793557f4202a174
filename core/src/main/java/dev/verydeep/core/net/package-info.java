/**
 * The one description of a net ({@link dev.verydeep.core.net.NetDescription}) and the paper's scale geometry. Everything that builds or counts a net starts here.
 */
package dev.verydeep.core.net;
