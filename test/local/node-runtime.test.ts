import { declaredRuntimeEnvironment, runtimeNotice } from '../../local/node-runtime';

describe("the host's Node.js running functions that declare another", () => {
  it('GIVEN a function declaring nodejs24.x on a Node.js 20 machine THEN it gets AWS_EXECUTION_ENV and no SDK version notice', () => {
    expect(declaredRuntimeEnvironment('nodejs24.x', 'v20.20.2')).toEqual({
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    });
  });

  it('GIVEN a machine as recent as the declared runtime THEN the SDK behaves as it would on Lambda', () => {
    expect(declaredRuntimeEnvironment('nodejs22.x', 'v24.1.0')).toEqual({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x' });
    expect(declaredRuntimeEnvironment(undefined, 'v20.0.0')).toEqual({});
  });

  it('GIVEN functions declaring another Node.js THEN one notice names them and the Node.js that runs them', () => {
    expect(runtimeNotice(['nodejs24.x', 'nodejs24.x', 'python3.12'], 'v20.20.2')).toBe(
      "The functions declare nodejs24.x; here they run on this machine's Node.js v20.20.2.",
    );
    expect(runtimeNotice(['nodejs24.x'], 'v24.21.0')).toBeUndefined();
  });
});
