import { describe, expect, it } from 'vitest';
import { runLecture } from './lecture';

describe('the lecture pooling example', () => {
  it('prints the notebook outputs (values from the Keras run in the lecture)', () => {
    const text = runLecture();
    expect(text).toContain('[[9. 7.]\n [8. 6.]]');
    expect(text).toContain('[[4.25 4.25]\n [4.25 3.5 ]]');
    // L2 windows worked by hand: {2,2,9,4} → sqrt(105), {7,3,6,1} → sqrt(95), {8,5,3,1} → sqrt(99), {2,4,2,6} → sqrt(60)
    expect(text).toMatch(/\[\[10\.24695\d* +9\.74679\d*\]\n \[ 9\.94987\d* +7\.74596\d*\]\]/);
    expect(text).toContain('gm_output: 9.0\n'); // the notebook prints 9.0
    expect(text).toContain('ga_output: 4.0625');
  });
});
