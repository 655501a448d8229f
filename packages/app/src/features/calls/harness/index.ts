// The page script of the Chromium call tests and bench/calls.ts (bundled by esbuild there).
import './call-harness-page';
import './bare-call-page';
import './call-ui-page';
